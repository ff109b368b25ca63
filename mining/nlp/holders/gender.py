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
        mr mr. sir lord king prince duke baron emperor father brother son husband grandfather uncle nephew
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

# Common given names used (almost) only for men or only for women, in the languages of European news and of
# people who live in Europe: general knowledge, written out for this module by a helper who read no text of the
# project (about the 34 commonest of each language, ASCII, accents dropped). Left out: names given to both (Andrea,
# Jean, Jan, Kim, Nikola) and names that are also words or begin places and brands (Per, Mark, Rose, Victoria).
_MALE_NAMES = """
    aamir abdi abdikadir abdirahman abdoulaye abdullah abdullahi adam adnan adrian afonso agron ahmad ahmed
    ahmet aigars aitor aivar aivars ajay ake akos alain alan alasdair albert alberto albin aldo alejandro
    aleksandar aleksandr aleksandrs alen alessandro alexander alexandros alexandru alexei alexey alfie alfred
    algimantas algirdas ali aliou alioune alistair alvaro amadou amir amit anas anastasios anatoly anders andras
    andre andreas andrei andrej andrejs andres andrew andrey andrii andris andrius andriy andrzej angelo angus
    anil antanas anthony antoine anton antoni antonin antonio antonios antonis antti arben arber archie ardian
    arif arjen arjun arlind armando armin arne arni artan artem arthur artur arturo arturs artyom arunas arvids
    arvo arvydas asgeir ashok asier asif atanas athanasios attila audrius aurimas babacar babak balazs baldur
    barry bart bas bashkim behrouz bela bence bengt bernard bernd bertil besart besnik birgir bjarni bjorn
    blerim bogdan bohumil bojan borislav boubacar boyko bram branislav branko brendan brian bruno bujar burak
    burim burkhard callum calum carl carles carlo carlos catalin cedric cengiz charles christer christophe
    christopher christos cian clarence claudio claus colin constantin cornelis cosmin cristian csaba cyril cyrus
    daan dainius damian dan daniel danny dardan darius dariush dariusz darko darnell dave david davide deepak
    dejan demba denis dennis detlef deyan didier diego dieter dimitar dimitrios dimitris dinesh dino diogo dirk
    djordje dmitri dmitrijs dmitry dobromir domenico dominik donald donatas dorin dragan dritan driton duarte
    dumitru duncan dusan dylan edgar edgars edin edmund edson eduardo edward egidijus egils einar eirik eirikur
    elvir emil emmanouil emre enn enric enrico enrique eoin ercan eric erik erkan erkki ermal ernest espen ethan
    euan evaldas evangelos evgeny ewan fabio faisal farhad fatih fatmir fatos federico felipe ferenc fernando
    filip filipe finnur flemming florian francesc francesco francisco franck francois frans frantisek freddie
    frederic frederick frederik fredrik gabor gabriel galin ganesh gary gatis gediminas geert geir genc george
    georgi georgios gerard gerhard gerrit gezim gheorghe gianni giannis giedrius gilberto gintaras gints giorgio
    giorgos giovanni gisli giuseppe gjergj goncalo goran gorka gottfried graham grzegorz gudmundur guilherme
    guillaume gunnar gunter gunther guntis gustav gustavo gylfi gyorgy gyula hakan halil halldor hamid hamish
    hannes hannu hans harald haraldur haris haroon harri hartmut hasan hassan heikki heino heinz helgi helmut
    hendrik henk henrik henryk herbert hjalti holger horst hossein hristo hugo huseyin hussein iain ian ibrahim
    ibrahima idrissa igor ijaz iker ilias ilir ilkka ilmars ilya imants imran imre inaki indrek indulis intars
    ioan ioannis ionut irfan isaac ismail issa istvan iulian ivan ivars ivaylo jaak jaan jaanus jacek jacob
    jacobus jacques jakob jakub jamal james jani janos janusz jari jarmo jaroslav jason jaume javad javed javier
    jean-claude jean-francois jean-jacques jean-louis jean-luc jean-marc jean-michel jean-paul jean-pierre
    jean-yves jef jeffrey jens jeroen jerome jerzy jesper jesse jesus jim jimmy jindrich jiri joachim joao
    joaquim joaquin joe joel johan johann johannes john johnny jon jonas jonathan joost jordi jorge jorgen jose
    jose-antonio jose-luis jose-maria josef josep joseph joshua josip josu jouni jovan jozef jozsef juan
    juan-antonio juan-carlos juha juho jukka julien juozas juraj jurgen juri juris jyrki kadir kaido kalevi
    kaloyan kamil kamran karel karim karl karlis karoly kashif kaspars kasper kazimierz kees keith kemal kenan
    kenneth kestutis kevin khaled khalid kimmo kiril kirill kjartan kjell klaas klaus knut koen kofi konstantin
    konstantinos kostas kourosh krasimir krisjanis kristian kristjan krisztian krzysztof kujtim kwame ladislav
    lajos lamine larry lars lasse laszlo laurent lauri lazar leandro leif leo leonard leroy libor linas lluis
    lorenzo lothar luan lubomir lubos luc lucian luciano luigi luis luiz luka lukas lukasz lulzim lyubomir
    maarten maciej madis mads magnus mahesh mahmoud mahmut majid maksim malik mamadou manfred manolis manuel
    marc marcel marcin marco marcos marcus marek margus mario marius mariusz markku marko markus martijn martim
    martin masoud massimo matej mateo mateusz matheus mathias mati matteo matthew matthias matti mattias matus
    maurizio meelis mehdi mehmet metin michael michail michalis michel mieczyslaw miguel mihai mihaly mihkel
    mikael mikel mikhail mikkel mikko miklos milorad mindaugas miquel mircea miroslav mladen modibo modris
    mohamed mohammad mohammed mohsen morten mostafa mounir moussa muhammad mukesh murat mustafa mykhailo mykola
    nadeem naim naresh naveed neil nemanja nenad niall nicholas nicolae nicolas niels nigel nikolai nikolaj
    nikolaos nikolay nikos nils noah norbert normunds nuno olaf olafur olav oldrich ole oleg oleksandr oleksii
    oleksiy olev olivier olli omar omer omid ondrej orhan oskar osman oumar ousmane ovidiu pablo padraig
    panagiotis paolo pascal patrick patrik paul paulius paulo pavel pavlos pavol pawel pedro peeter pekka pentti
    petar pete peter petr petras petri petrit petros petru petur philip philippe pierre pieter pietro piotr
    plamen poul povilas prakash predrag priit radek radoslav radu rafael rafal ragnar rahul raimonds rainer
    raivo rajesh rakesh ralf ramesh ramon ramunas rasmus rastislav raul razvan recep reginald reuben rexhep reza
    ricardo riccardo richard rihards rimantas risto rizwan robert roberto rodrigo rohit rolandas rolf ronald
    ruben rui rumen runar ruud ryan ryszard saeed sajid salah salih salim salvatore samuel sandor sanjay saulius
    seamus sean sebastian sebastien sekou selim senad seppo serge sergei sergejs sergey sergio serhii serhiy
    serkan seydou shahid shahzad siegfried sigitas sigurd sigurdur siim simon sindre skender slobodan sofiane
    sohail sokol soren sorin soufiane souleymane spyridon spyros srdjan stanislav stanislaw stavros steen stefan
    stefano steinar stephane stephen steve steven stijn stjepan stoyan stuart sulev suleyman sunil suresh svein
    sveinn sven svetoslav szabolcs tadeusz tamas tapio tarmo taulant terje thanasis theo theodoros thiago
    thierry thijs thomas thorsteinn tiago tibor tihomir tiit timo timothy tobias todor tom tomas tomasz tomislav
    tonu tony toomas torben torsten traian trevor trond tsvetan tuomas tyrone ugur uldis ulf ulrich umar unai
    urmas uros uwe vaclav valdas valdis valentin valon vangelis vasil vasile vasileios vasilis veikko vicente
    victor vijay vikram viktor viliam vincent vincenzo viorel vit vitor vlad vladas vladimir vladimirs vladislav
    vlastimil vojtech volkan volker volodymyr vuk vyacheslav vytautas waqar waseem wasim werner willem william
    wim wojciech wolfgang wouter xabier yahya yannis yasar yevgeny ylli yordan yousef youssef youssouf yuri yury
    yusuf yves zahid zakaria zbigniew zdenek zeljko ziad zoltan zoran zsolt zubair
""".split()

_FEMALE_NAMES = """
    adela adja adriana agne agnes agnese agnieszka aicha aija aikaterini ailsa aina aino aisha aisling aissatou
    aiste akosua albana aldona aleksandra alena alessandra alexandra alice alicia alina aline alketa alla almira
    alzbeta amaia amanda amandine amela amelia amina aminata amna amra amy ana anastasia andreea andreia angela
    angelika angeliki aniko anila anita anja anjali anke ankica anna anne anneli annemarie annette annie annikki
    anouk antje antoaneta antonia antonietta antra aoife aqsa arantxa arantza ardita argyro arjeta arlene asdis
    asha asli asma assumpta asta astou astrid astrida asuncion athanasia audrey audrone aurelie ava awa ayesha
    ayse aysel aysun ayten azra baiba barbara barbora beata beate beatrice beatriz becky begona bente berit
    bernadett bertha besa betty biljana binta bintou birgit birgitta birna biruta birute bjorg blanka blerina
    blerta boryana bozena branka brenda brigitta brigitte brikena britta bruna bryndis buket burcu bushra busra
    camelia camila camilla canan cansu caoimhe carina carla carme carmela carmen carola caroline catalina
    catarina caterina catherine cathy catriona cecilia cecilie celine chantal charlene cheryl chiara chloe
    christiane christina christine chrysoula ciara claire claudia clemence corinne cornelia coumba cristina
    csilla cynthia dafina dagmar dagnija daina daiva dalia danica daniela danuta danute daria darina darlene
    darya debbie deborah deepa deeqa derya desislava despina despoina diana dilek dimitra divya djeneba dobrinka
    doina dolores dominika donika donka donna dora dorota dorothea dorothy dragana drita dubravka duygu dzintra
    ebru ecaterina ece edina edith edona edurne eeva efthymia egita egle eileen eilidh eirini ekaterina elena
    eleni elif elin elina eline elira elisa elisabeth eliska elitsa elizabeth ellen ellie elma elodie elona els
    elsa elsie elspeth elzbieta emilia emilie emily emina emine emma encarnacion ene entela erika erjona
    erzsebet esperanza esra ester esther eszter ethel eva evangelia evelien evelin evgenia evie evija ewa eyglo
    fadime faduma faiza farzaneh fatbardha fatemeh fatima fatma fatoumata federica femke fereshteh fernanda
    filipa fjolla fleur florentina floriana flutura foteini fotini fozia francesca francisca francoise freja
    freya gabriela gabriella gaelle galina galya garazi geertruida geeta gemma gentiana georgeta gergana giedre
    ginevra gintare giovanna gita gitte giulia giuseppina gladys glenda golnaz gordana grazyna grete griet gudny
    gudrun gul gulsum gunilla gunta guro hacer hafsa halina halldora hana hanan hanna hannah hanne hannele harpa
    hatice havva hawa hawo heidi heike helen helena helene helga helle hendrika hibo hilda hilde hildur hina
    hodan houda hrafnhildur hulya huma ida idoia ieva ifrah ildiko iliana ilona ilze inara ines inese inga
    ingeborg inger ingibjorg ingrid ingrida inna inta ioana ioanna ionela iqra irena irene irina irini iryna
    isabel isabelle isla itziar iuliana iva ivana ivanka iveta iwona jacqueline jadwiga jana jane janina jarmila
    jaroslava javeria jelena jennifer jenny jessica jeta jette jill jitka joana joanna joanne johanna jolanta
    jonida josefa jovana juana judit judith julia juliana julianna julie jurate jurgita justyna kaarina kadiatou
    kadri kaire kaja kaltrina karen karin karine karolina katalin katarina katarzyna katerina katharina kathleen
    kathrin kathy katie katrien katrin katrine kavita kavya kersti kerstin khadija khady kimberly kirsi kirsten
    kirsti kirsty kitti konstantina krasimira kristel kristi kristiina kristin kristina kristine kristyna
    krisztina krystyna ksenia kseniya kyriaki laia laima lakshmi lana larisa lata laura lauren layla leena leila
    leire lejla lena lene lenka leonor leticia leyla liina liis liisa liliana lilja lina linda lindita linnea
    lisa lise liv ljiljana lluisa lola loreta lotte louise lubna lucia lucie lucija lucy ludmila luisa luljeta
    luminita lyubov lyudmila maaike macarena madiha magdalena mahnaz mahsa maite maja malene malgorzata malin
    malle mamta manjola manuela marcela maret margaret margareta margarida margaux margit margita margret mari
    maria mariam mariama mariana mariangela marianne maribel marie marieke mariella marija marika marilena
    marinela marisa marisol marit marja marjatta marjolein marju marketa marlene marta martha martina martine
    mary maryam mathilde matilde meena megan mehwish melanie melissa meriem merike merima meritxell merja merve
    meryem mette mhairi mia michaela michela michelle mihaela mila milagros milda milena milica mimoza mina
    minna mireia mirela miriam mirjana miroslava mitra moira monica monika monique morag nadezhda nadia
    nafissatou nanna naomi narges nasra nasrin natalia nataliia natalya nathalie nazanin ndeye neda neha nele
    neringa nermina neus nevenka niamh nicole nicoleta nikoleta nikolett niloufar nina noemi nuria oceane oksana
    olena olga olha olivia ona orla ornella oumou ourania ozlem paivi panagiota paola paraskevi parisa parvin
    patricia patrizia paula peggy penka petra petronella petya pia pilar pille piret pirjo pirkko polina pooja
    priya rabia radha radka radmila ragnheidur ragnhild raluca ramatoulaye ramune randi raquel rasa rebecca reet
    reka rekha remedios renata renate rhonda riina riitta rikke rita ritva roberta rocio rodica roisin rokhaya
    rosa roser rositsa rossella roxana roya rozalia ruta ruth sabine sabrina sadia sagal sahra saima salimata
    sally salma samira sana sandra sandrine sanja sanna sanne sara sarah sarmite saskia satu seema seija serena
    severine sevim sheena shirin shirley shona sigita signe sigridur sigrun siiri silje silke silvana silvia
    silvija simona sinead siobhan sirje sirpa sita slavica snezana snezhana sofie solene solveig solvita sonia
    sophie stanislawa stavroula stefania stefanie stefka steinunn stephanie styliani sunita sunna susan susana
    susanne suzana svandis svetla svetlana svitlana sylvie szilvia tamara tanja tarja tatiana tatyana teodora
    teresa tereza terezia tess tetiana theodora thora thordis thorunn tiina tiiu timea tina tove tracey
    tsvetanka turid tuula ubah ulla ulle ulrike unni unnur ursula urszula usha vala valbona valentina valerie
    valgerdur vanessa vasiliki vasilka veerle vera veronika veronique vesna vicki vicky vida viera vigdis vija
    viktoria vilma violeta virginie vjollca wenche wendy wilhelmina xhulia yasemin yasmin yasmina yasmine
    yekaterina yelena yllka yordanka yulia yuliia yuliya zahra zainab zanda zdenka zehra zeinab zeynep zivile
    zofia zoi zoya zsofia zsuzsanna zuzana
""".split()

GIVEN_NAMES = {**dict.fromkeys(_MALE_NAMES, "he"), **dict.fromkeys(_FEMALE_NAMES, "she")}


def _plain(word: str) -> str:
    """``word`` case-folded without accents: "Tomás" and "Tomas" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def gender_of_name(name: str) -> str | None:
    """"he" or "she" for a full name whose first word is a listed given name, else None.

    >>> gender_of_name("Ingrid Solberg"), gender_of_name("Tomas Halvik"), gender_of_name("Halvik")
    ('she', 'he', None)
    """
    words = name.split()
    return GIVEN_NAMES.get(_plain(words[0])) if len(words) > 1 else None


def gender_beside(name_start: Token, name_end: Token) -> str | None:
    """The gender a word beside one mention of a name gives it: a title just before it or in it ("Mrs Lund",
    "spokeswoman Ada Lund") or a role the name is apposed to or that is apposed to it ("the spokeswoman, Ada Lund",
    "Ada Lund, a spokeswoman"). A verb is no title ("Fans will miss Ada Lund")."""
    doc = name_start.doc
    before = doc[max(name_start.i - 1, 0):name_end.i]  # the title may be in the name's entity
    roles = [name_end.head] if name_end.dep_ == "appos" else []
    roles += [c for c in name_end.children if c.dep_ == "appos"]
    for word in [*before, *roles]:
        if word.lower_ in _GENDERED_WORDS and word.pos_ in ("NOUN", "PROPN"):
            return _GENDERED_WORDS[word.lower_]
    return None
