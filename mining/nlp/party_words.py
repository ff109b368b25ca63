"""Words that name parties in news text: organisations, titles and roles. Holder attribution (``mining.nlp.holders``)
reads them, and so does the reported-speech lexicon (``mining.nlp.speech``), which holder attribution imports."""

# Words that make a proper name an organisation's ("Coastal Alliance", "Riverside FC").
ORG_WORDS = frozenset("""
    alliance association union council group party federation club trust company committee authority
    department agency institute university bank corporation corp inc ltd plc fc ministry office
    board commission court police army foundation society league network fund government parliament
    congress senate assembly campaign coalition partnership centre center school hospital airport port
    airlines airways news times post press organisation organization chamber charity
""".split())

# Titles, offices and occupations news style puts in front of a name ("German Chancellor Friedrich
# Merz", "Farmer Aled Price"): stripped, with everything before them, from a person's name.
TITLE_WORDS = frozenset("""
    president chancellor minister prime mayor councillor councilor chairman chairwoman chair
    secretary governor senator judge general director chief head dr mr mrs ms miss prof professor
    sir dame lord lady king queen prince princess pope deputy officer commissioner ambassador envoy
    spokesman spokeswoman spokesperson representative rep sen gov ceo leader captain coach manager
    teacher librarian police opposition board club energy health economy transport finance foreign
    interior defence defense justice education regional local state federal vice acting former
    managing executive founder lawyer attorney inspector sergeant detective superintendent
    nurse doctor dr. surgeon midwife farmer fisherman engineer architect economist analyst scientist
    researcher student activist campaigner organiser organizer tenant landlord shopkeeper owner
    developer investor entrepreneur businessman businesswoman lawmaker legislator mp mep congressman
    congresswoman sheriff colonel major lieutenant admiral commander constable firefighter pastor
    reverend rev father bishop rabbi imam writer author novelist artist singer actor actress
    composer chef driver pilot player striker goalkeeper referee
""".split())

# Nouns naming a role held within an organisation or place: "Officials of the X union" is
# normalised to "X union officials", as news style writes it.
ROLE_NOUNS = frozenset("""
    official officials member members resident residents representative representatives leader
    leaders spokesman spokeswoman spokesperson spokespeople head heads chief chiefs staff worker
    workers employee employees owner owners director directors executive executives negotiator
    negotiators diplomat diplomats source sources aide aides officer officers supporter supporters
    manager managers
""".split())
