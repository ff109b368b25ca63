"""Which person a "he" or a "she" can be: the grammatical gender a text gives a named person.

A report often names two people and then goes on with a pronoun that only the reader's knowledge of given names
resolves: "Mayor Agnes Pruitt met Transport Secretary Olav Ring. He told reporters X" is Ring's. The evidence read
here, strongest first: a gendered title or role beside a mention ("Mr Ring", "Ring, a spokesman"), then a common
given name. The name lists are general knowledge of given names across the languages a European news world uses,
written for this module; an unlisted name, or one used for both, has no gender, and a pronoun then resolves as if
gender did not exist.
"""

from __future__ import annotations

import unicodedata

from spacy.tokens import Token

# Titles and role nouns that say a person's gender, set before a name or beside it.
_GENDERED_WORDS = {
    **dict.fromkeys("""
        mr mr. sir lord king prince duke count baron emperor father brother son husband grandfather uncle nephew
        spokesman chairman councilman congressman businessman policeman fireman fisherman sportsman statesman
        headmaster actor waiter widower boyfriend monsieur herr senor señor signor
    """.split(), "he"),
    **dict.fromkeys("""
        mrs mrs. ms ms. miss madam madame dame lady queen princess duchess countess baroness empress mother sister
        daughter wife grandmother aunt niece spokeswoman chairwoman councilwoman congresswoman businesswoman
        policewoman firewoman fisherwoman sportswoman stateswoman headmistress actress waitress widow girlfriend
        frau senora señora signora mademoiselle
    """.split(), "she"),
}

_MALE_NAMES = """
    aaron abel adam adrian ahmed aksel alain alan albert alberto aleksander aleksandr alessandro alex alexander
    alexandre alexei alfred ali alois anders andre andrei andreas andres andrew andrzej anton antoine antonio arne
    arnold arthur arvid aurelio axel bartosz basil ben benedikt benjamin benoit bernard bernd bjorn bogdan bohdan
    boris branko brian bruno carl carlo carlos casimir cedric cesar charles christian christoph christopher claude
    clemens conrad constantin cristian cyril dag damian dan daniel dario david davide declan denis dennis diego
    dieter dimitri dimitris dmitri dominik donald dragan duncan edgar edmund eduard eduardo edward edwin einar emil
    emile emilio emmanuel enrico enrique erik ernst esteban etienne eugen evgeny fabian fabio farid felipe felix
    ferdinand fernando filip florian francesco francisco francois frank frans franz fred frederik fredrik friedrich
    gabriel georg george georgios gerald gerard gerhard giorgio giovanni giuseppe goran gregor gregory gunnar gustav
    hakan hamid hans harald harry hassan heinrich helmut hendrik henning henri henrik henry herbert hugo ian igor
    ilya imre ioannis isak istvan ivan ivo jacek jacob jakob jakub jan janos janusz jaroslav javier jean jens jeremy
    jerzy jiri joachim joao joel johan johann johannes john jon jonas jonathan jorge jose josef joseph juan julian
    julien juraj jurgen kamil karel karim karl karol kasper kazimierz kenneth kevin khalid klaus knut konrad
    konstantin kristian kristof krzysztof lars laszlo laurent lawrence leif lennart leo leon leonard leopold lionel
    lorenzo louis luc lucas ludwig luis lukas lukasz magnus mahmoud manfred manuel marcel marco marcus marek mario
    marius mark markus martin mateusz mathias matteo matthew matthias mattias max maxim maximilian michael michal
    michel miguel mikael mikhail milan milos miroslav mohammed mustafa nathan nicolas niklas nikolai nikolaj
    nikolas nils noah olaf olav ole oleg oliver olivier omar oscar oskar ossian otto pablo paolo pascal patrick paul
    paulo pavel pawel peder pedro per peter petr petter philip philippe pierre piotr radek rafael rainer ralf ramon
    raul reinhard rene ricardo richard robert roberto roland rolf roman rudolf rune ruben samuel sandro sebastian
    sergei sergio simon soren stanislav stefan stefano stephan stephen steven stig sven szymon tadeusz theo thomas
    tiago tibor till tim timo tobias tomas tomasz tommaso tor torsten ulf ulrich urs vaclav valentin vasil vasily
    victor viktor vincent vincenzo vitaly vladimir vojtech walter werner wilhelm william witold wojciech xavier yannick
    yusuf yves zbigniew zdenek zoltan
""".split()

_FEMALE_NAMES = """
    ada adela adriana agata agnes agnieszka aida aisha alba alexandra alice alicia alina amalia amelia amira ana
    anastasia angela angelika anita anja anna anne annika antonia astrid barbara beata beatrice beatriz birgit
    birgitta blanka brigitte britt camille carla carmen carolina caroline catherine cecilia celine charlotte chiara
    christina christine clara claudia colette constance cristina dagmar dana daniela daria denise diana dolores
    dominika dora dorota dorothea edith elena eleni eliska elisa elisabeth elizabeth ella ellen elsa elzbieta emilia
    emma erika esther eva evelina ewa fatima francesca franziska freya frida gabriela gabriele gerda gertrud giulia
    greta gudrun hanna hannah hana hedda hedwig heidi helen helena helga henrietta hilde hildegard ida ilona ilse
    ines ingrid irena irene iris irina isabel isabella isabelle iva ivana jana janina jessica joanna johanna josefine
    judit judith julia juliette justyna karin karina karolina katarina katarzyna katharina kathrin katja katrin
    kerstin kinga klara kristina krystyna laia lara laura lea lena leonie lidia lina linda lisa liv livia lotte
    louise lucia lucie ludmila luisa lydia magda magdalena maja malgorzata margaret margit margarita maria mariana
    marianne marie marina marion marisa marit marta martha martina mathilde maya melanie mercedes mia michaela
    milena miriam monika nadia nadja natalia natasha nathalie nicole nina nora olga olivia paola patricia paula
    paulina petra pia pilar rebecca regina renata rita roberta rosa ruth sabina sabine sandra sara sarah silvia
    simona simone sofia sofie solveig sonja sophie stella stina susanne svetlana sylvia tamara tanja tatiana teresa
    theresa tina tove ulla ulrike ursula valentina valeria vera veronika victoria viktoria viola wanda
    yasmin yvonne zdenka zofia zora zuzana
""".split()

GIVEN_NAMES = {**dict.fromkeys(_MALE_NAMES, "he"), **dict.fromkeys(_FEMALE_NAMES, "she")}


def _plain(word: str) -> str:
    """``word`` case-folded without accents: "Tomás" and "Tomas" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def gender_of_name(name: str) -> str | None:
    """"he" or "she" for a full name whose first word is a listed given name, else None.

    >>> gender_of_name("Zdenka Holubova"), gender_of_name("Karel Vesely"), gender_of_name("Vesely")
    ('she', 'he', None)
    """
    words = name.split()
    return GIVEN_NAMES.get(_plain(words[0])) if len(words) > 1 else None


def gender_beside(name_start: Token, name_end: Token) -> str | None:
    """The gender a word beside one mention of a name gives it: a title just before it ("Mrs Holub", "spokeswoman
    Ada Lund") or a role apposed to it ("Ada Lund, a spokeswoman")."""
    doc = name_start.doc
    for title in doc[max(name_start.i - 1, 0):name_end.i]:  # the title may be in the name's entity
        if title.lower_ in _GENDERED_WORDS:
            return _GENDERED_WORDS[title.lower_]
    return next((_GENDERED_WORDS[c.lower_] for c in name_end.children
                 if c.dep_ == "appos" and c.lower_ in _GENDERED_WORDS), None)
