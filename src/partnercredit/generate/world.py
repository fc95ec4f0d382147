"""The fixed reference data the synthetic world is drawn from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    currency: str
    legal_form: str
    cities: tuple[str, str, str, str]


# Germany is the largest market; the weights are customer shares (normalised when sampled).
COUNTRIES: tuple[Country, ...] = (
    Country("DE", 0.22, "EUR", "GmbH", ("Berlin", "München", "Hamburg", "Köln")),
    Country("US", 0.14, "USD", "Inc.", ("Seattle", "New York", "Chicago", "Austin")),
    Country("GB", 0.10, "GBP", "Ltd", ("London", "Manchester", "Leeds", "Bristol")),
    Country("FR", 0.08, "EUR", "SAS", ("Paris", "Lyon", "Toulouse", "Lille")),
    Country("NL", 0.06, "EUR", "B.V.", ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven")),
    Country("CH", 0.05, "CHF", "AG", ("Zürich", "Genève", "Basel", "Bern")),
    Country("AT", 0.05, "EUR", "GmbH", ("Wien", "Graz", "Linz", "Salzburg")),
    Country("IT", 0.04, "EUR", "S.r.l.", ("Milano", "Roma", "Torino", "Bologna")),
    Country("ES", 0.04, "EUR", "S.L.", ("Madrid", "Barcelona", "Valencia", "Sevilla")),
    Country("SE", 0.04, "SEK", "AB", ("Stockholm", "Göteborg", "Malmö", "Uppsala")),
    Country("JP", 0.04, "JPY", "K.K.", ("Tokyo", "Osaka", "Nagoya", "Fukuoka")),
    Country("AU", 0.035, "AUD", "Pty Ltd", ("Sydney", "Melbourne", "Brisbane", "Perth")),
    Country("PL", 0.03, "PLN", "Sp. z o.o.", ("Warszawa", "Kraków", "Wrocław", "Gdańsk")),
    Country("DK", 0.025, "DKK", "ApS", ("København", "Aarhus", "Odense", "Aalborg")),
    Country("BE", 0.025, "EUR", "BV", ("Bruxelles", "Antwerpen", "Gent", "Liège")),
    Country("IE", 0.02, "EUR", "Ltd", ("Dublin", "Cork", "Galway", "Limerick")),
    Country("CA", 0.02, "CAD", "Inc.", ("Toronto", "Vancouver", "Montréal", "Calgary")),
)


@dataclass(frozen=True)
class Currency:
    code: str
    usd_per_unit: float  # around 2016
    rate_decimals: int  # digits written in fx_rates
    minor_units: int  # amounts are still written with 2 decimals, JPY as whole yen


BASE_CURRENCY = "USD"
CURRENCIES: tuple[Currency, ...] = (
    Currency("USD", 1.0, 4, 2),
    Currency("EUR", 1.10, 4, 2),
    Currency("GBP", 1.40, 4, 2),
    Currency("CHF", 1.01, 4, 2),
    Currency("SEK", 0.118, 6, 2),
    Currency("JPY", 0.0089, 8, 0),
    Currency("AUD", 0.73, 4, 2),
    Currency("PLN", 0.255, 6, 2),
    Currency("DKK", 0.147, 6, 2),
    Currency("CAD", 0.76, 4, 2),
)
# A real ISO 4217 code that gets no fx rate: the missing_fx rows of --messy use it.
UNRATED_CURRENCY = "NOK"


@dataclass(frozen=True)
class Product:
    code: str
    weight: float
    usd: float  # list price per seat and month, or the median monthly usage
    per_seat: bool
    split_by_workload: bool = False


# POWERBI, PROJECT and VISIO deliberately match no area of the default rules.
PRODUCTS: tuple[Product, ...] = (
    Product("O365-E3", 0.17, 20.00, True, True),
    Product("O365-E5", 0.06, 35.00, True, True),
    Product("O365-BUSINESS", 0.16, 12.50, True, True),
    Product("EMS-E3", 0.07, 8.70, True),
    Product("EMS-E5", 0.03, 14.80, True),
    Product("INTUNE-P1", 0.05, 6.00, True),
    Product("AZURE-COMPUTE", 0.15, 450.0, False),
    Product("AZURE-STORAGE", 0.08, 120.0, False),
    Product("CRM-ONLINE", 0.06, 65.00, True),
    Product("DYNAMICS-365", 0.07, 115.00, True),
    Product("POWERBI-PRO", 0.05, 9.99, True),
    Product("PROJECT-ONLINE", 0.03, 30.00, True),
    Product("VISIO-ONLINE", 0.02, 13.00, True),
)

WORKLOADS = ("EXCHANGE", "SHAREPOINT", "TEAMS")
# How a split O365 bill divides among WORKLOADS.
WORKLOAD_SHARES = (0.45, 0.30, 0.25)

OFFERS = ("CSP", "EA", "MOSP")
OFFER_WEIGHTS = (0.60, 0.25, 0.15)
DIRECT_OFFER = OFFERS.index("MOSP")  # web direct: no transacting partner

# Null category means paid; some paid subscriptions say so explicitly.
CATEGORIES = (None, "paid", "trial", "internal", "benefit", "government")
CATEGORY_WEIGHTS = (0.22, 0.60, 0.07, 0.02, 0.05, 0.04)
TRIAL = CATEGORIES.index("trial")

PARTNER_WORDS = (
    "Contoso", "Fabrikam", "Adatum", "Litware", "Northwind", "Proseware", "Tailspin",
    "Wingtip", "Woodgrove", "Trey", "Lucerne", "Relecloud", "Coho", "Humongous",
    "Wide World", "Blue Yonder", "Southridge", "Bellows", "Cronus", "Margie's",
)  # fmt: skip
PARTNER_TRADES = (
    "Cloud Solutions", "IT Services", "Consulting", "Systems", "Digital", "Networks",
    "Software", "Technologies", "Data", "Integration",
)  # fmt: skip
CUSTOMER_WORDS = (
    "Alpen", "Nordlicht", "Rhein", "Süd", "Blue Ridge", "Silver Oak", "Riverside", "Summit",
    "Harbor", "Pioneer", "Atlas", "Falcon", "Lumen", "Vertex", "Müller", "Schmidt & Söhne",
    "Bäckerei Weiß", "Smith, Jones & Co", 'The "Orbit"', "Hanse", "Nova", "Polaris",
)  # fmt: skip
CUSTOMER_TRADES = (
    "Logistik", "Maschinenbau", "Foods", "Bank", "Health", "Energy", "Retail", "Motors",
    "Pharma", "Textiles", "Media", "Insurance", "Solar", "Bau", "Werke", "Group",
)  # fmt: skip
