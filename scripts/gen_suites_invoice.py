"""Invoice suite: gold invoices, then the document text each one would be printed as."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

# Currencies the (fictional) accounts-payable system books. The schema's `currency` enum and
# currencies.txt must list the same codes (tests/suites/bundled_suites_test.cc checks it).
CURRENCIES = ["AUD", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "INR", "JPY", "NOK", "PLN", "SEK",
              "SGD", "USD"]
MINOR_UNITS = {c: 2 for c in CURRENCIES}
MINOR_UNITS["JPY"] = 0

# ISO 3166-1 alpha-2: the 249 officially assigned codes (as in tzdata's iso3166.tab), for
# countries.txt; user-assigned codes such as "XX" or "ZZ" are not among them.
ISO_COUNTRIES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW
""".split()

# country -> (currency, standard tax rate %, tax label, date style, decimal comma?)
COUNTRIES = {
    "DE": ("EUR", "19", "MwSt.", "dmy_dot", True),
    "FR": ("EUR", "20", "TVA", "dmy_slash", True),
    "NL": ("EUR", "21", "BTW", "dmy_dash", True),
    "GB": ("GBP", "20", "VAT", "dmy_slash", False),
    "US": ("USD", "0", "Sales tax", "mdy_slash", False),
    "CH": ("CHF", "8.1", "MWST", "dmy_dot", False),
    "SE": ("SEK", "25", "Moms", "iso", True),
    "DK": ("DKK", "25", "Moms", "dmy_dot", True),
    "NO": ("NOK", "25", "MVA", "dmy_dot", True),
    "PL": ("PLN", "23", "VAT", "dmy_dot", True),
    "JP": ("JPY", "10", "Consumption tax", "iso", False),
    "CA": ("CAD", "13", "HST", "iso", False),
    "AU": ("AUD", "10", "GST", "dmy_slash", False),
    "CZ": ("CZK", "21", "DPH", "dmy_dot", True),
    "IN": ("INR", "18", "GST", "dmy_dash", False),
    "SG": ("SGD", "9", "GST", "dmy_slash", False),
}
COUNTRY_NAMES = {"DE": "Germany", "FR": "France", "NL": "Netherlands", "GB": "United Kingdom",
                 "US": "United States", "CH": "Switzerland", "SE": "Sweden", "DK": "Denmark",
                 "NO": "Norway", "PL": "Poland", "JP": "Japan", "CA": "Canada", "AU": "Australia",
                 "CZ": "Czech Republic", "IN": "India", "SG": "Singapore"}

# Fictional vendors: (name, street, postal code, city, country, VAT id or None, trade)
VENDORS = [
    ("Kessler Industriebedarf GmbH", "Hafenstraße 41", "20457", "Hamburg", "DE", "DE284519377", "industrial"),
    ("Brandt & Vogel Software AG", "Leopoldstraße 108", "80802", "München", "DE", "DE311904625", "software"),
    ("Atelier Moreau SARL", "14 rue des Tanneurs", "69002", "Lyon", "FR", "FR40518273941", "print"),
    ("Van Dijk Logistiek B.V.", "Kade 7", "3011 AB", "Rotterdam", "NL", "NL853401227B01", "freight"),
    ("Harwood Office Supplies Ltd", "22 Canal Street", "M1 3HE", "Manchester", "GB", "GB294718305", "office"),
    ("Pennine Consulting LLP", "5 Park Row", "LS1 5HD", "Leeds", "GB", "GB731640288", "consulting"),
    ("Bluegrass Data Systems Inc.", "410 West Main Street", "40202", "Louisville, KY", "US", None, "software"),
    ("Cascade Lab Equipment Co.", "1800 Westlake Ave N", "98109", "Seattle, WA", "US", None, "lab"),
    ("Redwood Creative Studio LLC", "77 Mission Street", "94105", "San Francisco, CA", "US", None, "print"),
    ("Alpenblick Treuhand AG", "Bahnhofstrasse 9", "8001", "Zürich", "CH", "CHE-116.281.710", "consulting"),
    ("Nordkust Maskin AB", "Hamngatan 12", "411 14", "Göteborg", "SE", "SE556677889901", "industrial"),
    ("Fjord Analytics ApS", "Nørrebrogade 52", "2200", "København N", "DK", "DK39485721", "software"),
    ("Bergen Marine Service AS", "Strandkaien 3", "5013", "Bergen", "NO", "NO918273645MVA", "freight"),
    ("Wisła Druk Sp. z o.o.", "ul. Marszałkowska 84", "00-514", "Warszawa", "PL", "PL5252738196", "print"),
    ("Sakura Precision Parts K.K.", "2-11-3 Shibaura", "108-0023", "Minato-ku, Tokyo", "JP", "T4010401098765", "industrial"),
    ("Maple Leaf IT Services Inc.", "250 Front Street West", "M5V 3G5", "Toronto, ON", "CA", "818273645RT0001", "it"),
    ("Southern Cross Events Pty Ltd", "88 George Street", "2000", "Sydney NSW", "AU", "ABN 51 824 753 556", "events"),
    ("Vltava Stavebniny s.r.o.", "Karlovo náměstí 17", "120 00", "Praha 2", "CZ", "CZ27183945", "industrial"),
    ("Deccan Cloud Solutions Pvt. Ltd.", "3rd Floor, Cyber Towers, HITEC City", "500081", "Hyderabad", "IN", "36AABCD1234F1Z5", "it"),
    ("Merlion Office Interiors Pte. Ltd.", "30 Cecil Street, #12-01", "049712", "Singapore", "SG", "201812345K", "office"),
]

CUSTOMERS = [
    ("Northwind Traders Ltd", "9 Harbour Road", "BS1 5TY", "Bristol", "GB", "GB118822334"),
    ("Lindqvist Retail Group AB", "Drottninggatan 33", "111 51", "Stockholm", "SE", "SE556012345601"),
    ("Helvetia Medical Devices SA", "Route de Meyrin 120", "1217", "Meyrin", "CH", "CHE-109.882.113"),
    ("Contoso Pharmaceuticals Inc.", "4100 Lakeview Drive", "98052", "Redmond, WA", "US", None),
    ("Oceanic Freight Forwarders GmbH", "Am Sandtorkai 50", "20457", "Hamburg", "DE", "DE811547302"),
    ("Boulangerie Lefèvre & Fils", "3 place du Marché", "33000", "Bordeaux", "FR", "FR72409887123"),
    ("Tulip Hospitality B.V.", "Herengracht 210", "1016 BS", "Amsterdam", "NL", "NL001234567B02"),
    ("Kobenhavn Byggeri A/S", "Vesterbrogade 149", "1620", "København V", "DK", "DK20304050"),
    ("Pacific Rim Imports Pty Ltd", "12 Queen Street", "3000", "Melbourne VIC", "AU", "ABN 33 102 417 032"),
    ("Greenfield Schools Trust", "Station Approach", "OX1 1HS", "Oxford", "GB", None),
    ("Hokkaido Foods Co., Ltd.", "4-1 Kita 3-jo Nishi", "060-0003", "Sapporo", "JP", "T7430001012345"),
    ("Rocky Mountain Outfitters LLC", "1550 Wynkoop Street", "80202", "Denver, CO", "US", None),
    ("Mazowsze Energia S.A.", "al. Jerozolimskie 65", "00-697", "Warszawa", "PL", "PL7010012345"),
    ("St. Lawrence Hospitality Group", "1000 Rue De La Gauchetière O", "H3B 4W5", "Montréal, QC", "CA", None),
    ("Brno Automotive a.s.", "Heršpická 5", "639 00", "Brno", "CZ", "CZ25512345"),
    ("Kaveri Test Labs Pvt Ltd", "ITPB Road, Whitefield", "560066", "Bengaluru", "IN", "29AAACT1234M1Z2"),
]

# trade -> [(description, sku prefix, unit price range in major units, quantity kind)]
CATALOG = {
    "industrial": [("Hydraulic hose assembly DN16, 1.5 m", "HH", (18, 95), "count"),
                   ("Stainless hex bolt M12x60 (box of 50)", "SB", (9, 40), "count"),
                   ("Ball bearing 6205-2RS", "BB", (4, 22), "count"),
                   ("Pneumatic cylinder Ø40 stroke 200", "PC", (85, 310), "count"),
                   ("Safety gloves EN388, size 9 (pair)", "SG", (3, 12), "count"),
                   ("Conveyor belt repair, on-site technician", "SV", (75, 140), "hours")],
    "software": [("Annual subscription, Analytics Pro (per seat)", "SUB", (120, 480), "count"),
                 ("Implementation services", "IMP", (110, 190), "hours"),
                 ("Premium support plan, 12 months", "SUP", (900, 4800), "count"),
                 ("Custom report development", "DEV", (95, 160), "hours"),
                 ("API overage, 1,000 calls", "API", (1, 6), "count")],
    "print": [("Brochure A4, 16 pages, 135 g silk", "BR", (1, 4), "count"),
              ("Business cards, 400 g matt, box of 250", "BC", (18, 45), "count"),
              ("Roll-up banner 85x200 cm incl. stand", "RU", (60, 150), "count"),
              ("Design and layout", "DS", (55, 110), "hours")],
    "freight": [("Pallet transport, standard EUR pallet", "PAL", (45, 160), "count"),
                ("Container handling fee, 40ft", "CTR", (180, 420), "count"),
                ("Customs clearance", "CUS", (65, 240), "count"),
                ("Waiting time driver", "WT", (40, 75), "hours")],
    "office": [("Copy paper A4 80 g (box of 5 reams)", "CP", (18, 32), "count"),
               ("Ergonomic office chair, mesh back", "CH", (160, 420), "count"),
               ("Height-adjustable desk 160x80", "DK", (380, 900), "count"),
               ("Toner cartridge, black, high yield", "TN", (45, 130), "count"),
               ("Installation and assembly", "AS", (45, 80), "hours")],
    "consulting": [("Advisory services, senior consultant", "ADV", (150, 320), "hours"),
                   ("Workshop facilitation (day rate)", "WS", (1200, 2600), "count"),
                   ("Travel expenses (at cost)", "TRV", (80, 900), "count"),
                   ("Year-end closing review", "YEC", (1500, 6000), "count")],
    "lab": [("Nitrile gloves, powder-free (box of 100)", "NG", (7, 15), "count"),
            ("Micropipette 100-1000 µl", "MP", (190, 420), "count"),
            ("Centrifuge tubes 50 ml (pack of 500)", "CT", (60, 140), "count"),
            ("Calibration service, balances", "CAL", (90, 180), "hours")],
    "it": [("Managed Kubernetes cluster, monthly fee", "K8S", (600, 2400), "count"),
           ("Laptop 14\" i7 32 GB, incl. imaging", "LT", (1100, 1900), "count"),
           ("On-call support, after hours", "OC", (90, 170), "hours"),
           ("Microsoft 365 E3 licence (per user / month)", "LIC", (30, 40), "count")],
    "events": [("Conference room hire, full day", "ROOM", (900, 2600), "count"),
               ("Catering, lunch buffet (per person)", "CAT", (28, 65), "count"),
               ("AV technician", "AVT", (70, 120), "hours"),
               ("Event coordination fee", "EVC", (1500, 4000), "count")],
}

# Rough rates against EUR, for the "for reference" line of multi-currency invoices.
EUR_RATE = {"AUD": "1.65", "CAD": "1.47", "CHF": "0.96", "CZK": "25.1", "DKK": "7.46",
            "EUR": "1", "GBP": "0.86", "INR": "90.2", "JPY": "162", "NOK": "11.5", "PLN": "4.33",
            "SEK": "11.3", "SGD": "1.45", "USD": "1.08"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

TERMS_BOILERPLATE = [
    "Title to the goods passes to the buyer only upon full payment of this invoice.",
    "Late payments accrue interest at 8 percentage points above the base rate per annum.",
    "Please quote the invoice number with every payment so that we can allocate it correctly.",
    "Claims regarding quantity or quality must be made in writing within 8 days of delivery.",
    "Our general terms and conditions apply; they are available on request.",
    "Services were rendered in the period stated; hours are recorded in our time-tracking system.",
    "Place of jurisdiction is the registered seat of the vendor.",
    "Bank charges for international transfers are to be borne by the payer (OUR).",
]


def q2(value, places):
    """Rounds a Decimal half-up to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_number(value, places):
    """Decimal -> the JSON number a careful extractor would write (int when no decimals)."""
    if places == 0 or value == value.to_integral_value():
        return int(value)
    return float(value)


def fmt_money(value, places, comma):
    """1234.5 -> "1,234.50" (or "1.234,50" with a decimal comma)."""
    s = f"{value:,.{places}f}"
    if comma:
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s


def fmt_date(d, style, rng):
    if style == "iso":
        return d.isoformat()
    if style == "dmy_dot":
        return d.strftime("%d.%m.%Y")
    if style == "dmy_slash":
        return d.strftime("%d/%m/%Y") if rng.random() < 0.6 else f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "dmy_dash":
        return d.strftime("%d-%m-%Y")
    if style == "mdy_slash":
        return d.strftime("%m/%d/%Y") if rng.random() < 0.5 else f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    raise ValueError(style)


def party(entry):
    name, street, postal, city, country, vat = entry[:6]
    return {"name": name, "address": {"street": street, "postal_code": postal, "city": city,
                                      "country": country}, "vat_id": vat}


def make_gold(rng, number, tags):
    vendors = VENDORS
    if "decimal-comma" in tags:
        vendors = [v for v in VENDORS if COUNTRIES[v[4]][4]]
    vendor = rng.choice(vendors)
    customers = [c for c in CUSTOMERS if c[0] != vendor[0]]
    customer = rng.choice(customers)
    country = vendor[4]
    currency, rate, _, _, _ = COUNTRIES[country]
    places = MINOR_UNITS[currency]
    if country == "US":  # state sales tax, or none for out-of-state sales
        rate = rng.choice(["0", "6", "8.875", "10.25"])
    elif customer[4] != country and country in ("DE", "FR", "NL", "DK", "SE", "PL", "CZ") and \
            customer[4] in ("DE", "FR", "NL", "DK", "SE", "PL", "CZ"):
        rate = "0"  # intra-EU B2B reverse charge
        tags.append("reverse-charge")
    issue = datetime.date(2024, 1, 2) + datetime.timedelta(days=rng.randrange(0, 330))
    n_lines = rng.randint(18, 32) if "long-document" in tags else rng.randint(1, 6)
    items = []
    catalog = CATALOG[vendor[6]]
    for i in range(n_lines):
        desc, sku, (lo, hi), kind = catalog[i % len(catalog)] if "long-document" in tags else rng.choice(catalog)
        if "long-document" in tags and i >= len(catalog):
            desc = f"{desc} (order {i // len(catalog) + 1})"
        if kind == "hours":
            qty = Decimal(rng.randrange(2, 80)) / 2
        else:
            qty = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 10, 12, 20, 25, 50]))
        # Catalog prices are in EUR; convert so a CZK or JPY invoice carries plausible figures.
        eur = Decimal(rng.uniform(lo, hi)).quantize(Decimal("0.01"))
        unit = q2(eur * Decimal(EUR_RATE[currency]), places)
        amount = q2(qty * unit, places)
        items.append({"sku": f"{sku}-{rng.randrange(100, 9999):04d}" if rng.random() < 0.7 else None,
                      "description": desc, "quantity": as_number(qty, 1), "unit_price": as_number(unit, places),
                      "amount": as_number(amount, places), "_amount": amount, "_qty": qty, "_unit": unit,
                      "_unit_label": "h" if kind == "hours" else "pcs"})
    subtotal = sum((it["_amount"] for it in items), Decimal(0))
    discount = Decimal(0)
    discount_pct = None
    if "discount" in tags:
        discount_pct = rng.choice([2, 3, 5, 10])
        discount = q2(subtotal * discount_pct / 100, places)
    tax = q2((subtotal - discount) * Decimal(rate) / 100, places)
    total = subtotal - discount + tax
    if "missing-fields" in tags:
        due, terms = None, None
    else:
        days = rng.choice([14, 30, 30, 45, 60])
        due, terms = issue + datetime.timedelta(days=days), f"Net {days}"
    po = f"PO-{rng.randrange(10000, 99999)}" if rng.random() < 0.6 and "missing-fields" not in tags else None
    gold = {
        "invoice_number": f"INV-{number:06d}",
        "issue_date": issue.isoformat(),
        "due_date": due.isoformat() if due else None,
        "currency": currency,
        "purchase_order": po,
        "vendor": party(vendor),
        "bill_to": party(customer),
        "line_items": [{k: v for k, v in it.items() if not k.startswith("_")} for it in items],
        "subtotal": as_number(subtotal, places),
        "discount": as_number(discount, places),
        "tax_rate": as_number(Decimal(rate), 3),
        "tax": as_number(tax, places),
        "total": as_number(total, places),
        "payment_terms": terms,
    }
    facts = {"vendor": vendor, "customer": customer, "items": items, "subtotal": subtotal,
             "discount": discount, "discount_pct": discount_pct, "tax": tax, "total": total,
             "places": places, "issue": issue, "due": due, "rate": rate}
    return gold, facts


def address_lines(p):
    a = p["address"]
    lines = [p["name"], a["street"], f"{a['postal_code']} {a['city']}", COUNTRY_NAMES[a["country"]]]
    if p["vat_id"]:
        lines.append(f"VAT ID: {p['vat_id']}")
    return lines


def render_document(rng, gold, facts, tags):
    """The printed invoice as an extraction model would receive it (after PDF-to-text)."""
    country = gold["vendor"]["address"]["country"]
    _, _, tax_label, date_style, comma = COUNTRIES[country]
    comma = comma or "decimal-comma" in tags
    places, cur = facts["places"], gold["currency"]

    def money(v):
        return fmt_money(v, places, comma)

    due_text = None
    if facts["due"] is not None:
        if rng.random() < 0.3:
            due_text = None  # only the terms are printed; the due date follows from them
        else:
            due_text = fmt_date(facts["due"], date_style, rng)
    out = []
    layout = rng.choice(["table", "list", "email"]) if "long-document" not in tags else "table"
    if layout == "email":
        out += [f"From: accounts@{gold['vendor']['name'].split()[0].lower().strip(',.&')}.example",
                f"Subject: Invoice {gold['invoice_number']} - {gold['vendor']['name']}",
                "", "Hello,", "", "please find our invoice below. Kind regards, Accounts Receivable",
                "", "-----"]
    out += address_lines(gold["vendor"])
    out += ["", "INVOICE" if not comma else ("RECHNUNG / INVOICE" if country == "DE" else "INVOICE"), ""]
    out.append(f"Invoice number: {gold['invoice_number']}")
    out.append(f"Invoice date: {fmt_date(facts['issue'], date_style, rng)}")
    if due_text:
        out.append(f"Due date: {due_text}")
    if gold["purchase_order"]:
        out.append(f"Your order: {gold['purchase_order']}")
    out += ["", "Bill to:"] + ["  " + line for line in address_lines(gold["bill_to"])] + [""]
    if layout == "table":
        w = max(len(it["description"]) for it in facts["items"]) + 2
        out.append(f"{'Pos':<4}{'Item':<12}{'Description':<{w}}{'Qty':>9}{'Unit price':>14}{'Amount':>14}")
        for i, it in enumerate(facts["items"], 1):
            qty = f"{it['_qty'].normalize():f} {it['_unit_label']}"
            out.append(f"{i:<4}{(it['sku'] or '-'):<12}{it['description']:<{w}}{qty:>9}"
                       f"{money(it['_unit']):>14}{money(it['_amount']):>14}")
    else:
        for it in facts["items"]:
            sku = f" [{it['sku']}]" if it["sku"] else ""
            out.append(f"- {it['description']}{sku}: {it['_qty'].normalize():f} {it['_unit_label']} x "
                       f"{cur} {money(it['_unit'])} = {cur} {money(it['_amount'])}")
    out.append("")
    out.append(f"Subtotal: {cur} {money(facts['subtotal'])}")
    if facts["discount_pct"]:
        out.append(f"Early-payment discount {facts['discount_pct']}%: -{cur} {money(facts['discount'])}")
    if "reverse-charge" in tags:
        out.append(f"{tax_label} 0% - reverse charge, VAT to be accounted for by the recipient: {cur} {money(facts['tax'])}")
    else:
        out.append(f"{tax_label} {facts['rate']}%: {cur} {money(facts['tax'])}")
    out.append(f"Total due: {cur} {money(facts['total'])}")
    if "multi-currency" in tags:
        other = "USD" if cur == "EUR" else "EUR"
        ref = facts["total"] / Decimal(EUR_RATE[cur]) * Decimal(EUR_RATE[other])
        out.append(f"For reference only: approx. {other} {fmt_money(q2(ref, 2), 2, comma)} at today's rate. "
                   f"Payment is due in {cur}.")
    out.append("")
    if gold["payment_terms"]:
        days = gold["payment_terms"].split()[1]
        out.append(f"Payment terms: {days} days net" if rng.random() < 0.5 else f"Terms: Net {days}")
    else:
        out.append("Payment terms: as agreed.")
    if country in ("US", "CA", "AU", "JP", "IN", "SG"):
        out.append(f"Remit to: account {rng.randrange(10**9, 10**10)}, routing/branch {rng.randrange(10**5, 10**6)}")
    else:
        out.append(f"Bank: IBAN {country}{rng.randrange(10, 99)} {rng.randrange(10**11, 10**12)} {rng.randrange(1000, 9999)}")
    if "long-document" in tags:
        out += [""] + rng.sample(TERMS_BOILERPLATE, 5)
    if layout == "email":
        out += ["", "This e-mail and any attachments are confidential."]
    return "\n".join(out)


# (tag set, how many). Every case has `core` or `edge`.
PLAN = [
    (["core"], 26),
    (["core", "decimal-comma"], 6),
    (["edge", "multi-currency"], 8),
    (["edge", "long-document"], 8),
    (["edge", "missing-fields"], 6),
    (["core", "discount"], 6),
    (["edge", "multi-currency", "discount"], 4),
]


def generate(rng):
    cases = []
    numbers = rng.sample(range(1000, 999999), sum(n for _, n in PLAN))
    k = 0
    for base_tags, count in PLAN:
        for _ in range(count):
            tags = list(base_tags)
            gold, facts = make_gold(rng, numbers[k], tags)
            if COUNTRIES[gold["vendor"]["address"]["country"]][4] and "decimal-comma" not in tags:
                tags.append("decimal-comma")
            if gold["currency"] == "JPY" and "zero-decimals" not in tags:
                tags.append("zero-decimals")
            doc = render_document(rng, gold, facts, tags)
            k += 1
            cases.append({"id": f"inv-{k:03d}", "vars": {"document": doc}, "expected": gold,
                          "tags": tags})
    currencies = ("# Currencies the accounts-payable system books (ISO 4217).\n"
                  "# Generated by scripts/gen_suites.py; keep in sync with schema.json's currency enum.\n"
                  + "".join(c + "\n" for c in CURRENCIES))
    countries = ("# ISO 3166-1 alpha-2 country codes (officially assigned), for the address rules.\n"
                 "# Generated by scripts/gen_suites.py.\n" + "".join(c + "\n" for c in ISO_COUNTRIES))
    return {"cases.jsonl": cases, "currencies.txt": currencies, "countries.txt": countries}
