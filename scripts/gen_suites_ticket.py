"""Ticket-triage suite: gold triage decisions for a fictional B2B SaaS ("Ledgerly"), then the
support e-mail each one came from."""

CATEGORIES = {
    "bug": ["BUG-CRASH", "BUG-DATA-LOSS", "BUG-UI", "BUG-PERF", "BUG-SYNC", "BUG-INTEGRATION",
            "BUG-NOTIFICATION"],
    "billing": ["PAY-REFUND", "PAY-DOUBLE-CHARGE", "PAY-FAILED-PAYMENT", "PAY-INVOICE-ERROR",
                "PAY-PLAN-CHANGE", "PAY-TAX-EXEMPT", "PAY-CANCEL"],
    "account": ["ACC-LOCKOUT", "ACC-MFA-RESET", "ACC-DELETE", "ACC-OWNERSHIP", "ACC-EMAIL-CHANGE",
                "ACC-DATA-EXPORT", "ACC-SSO"],
    "feature_request": ["FR-INTEGRATION", "FR-REPORTING", "FR-MOBILE", "FR-API", "FR-PERMISSIONS",
                        "FR-UI"],
}

TAGS = ["android", "angry-customer", "api", "churn-risk", "data-loss", "desktop", "duplicate-charge",
        "enterprise", "export", "gdpr", "integration-jira", "integration-salesforce",
        "integration-slack", "invoice", "ios", "mfa", "onboarding", "outage", "performance",
        "permissions", "refund", "regression", "reporting", "security", "sso", "tax", "web"]

PRODUCTS = {"web-app": "web", "mobile-ios": "ios", "mobile-android": "android", "desktop": "desktop",
            "public-api": "api"}
PRODUCT_TEXT = {"web-app": "the web app", "mobile-ios": "the iPhone app", "mobile-android": "the Android app",
                "desktop": "the desktop app (Windows)", "public-api": "your REST API"}

FIRST = ["Dana", "Marcus", "Priya", "Tomás", "Aisha", "Jonas", "Mei", "Olu", "Sofia", "Liam", "Hannah",
         "Ravi", "Chloé", "Kenji", "Fatima", "Erik", "Grace", "Mateo", "Ingrid", "Samuel"]
LAST = ["Whitfield", "Okafor", "Raman", "Lindqvist", "Moreno", "Becker", "Tanaka", "Adeyemi", "Rossi",
        "Novak", "Dubois", "Kowalski", "Haddad", "Nakamura", "Schmidt", "O'Brien", "Silva", "Jensen"]
COMPANIES = ["harborlight", "northpeak", "bluefin-analytics", "oakridge-dental", "quanta-freight",
             "meridian-legal", "sunbeam-retail", "tidewater-labs", "copperleaf", "brightpath-edu",
             "ironwood-mfg", "lumen-health", "atlas-ventures", "greenline-energy"]
TIERS = ["free", "pro", "enterprise"]


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company = rng.choice(COMPANIES)
    local = f"{first}.{last}".lower().replace("'", "").replace("á", "a").replace("é", "e")
    return f"{first} {last}", f"{local}@{company}.example", company


def bug(rng, t):
    cat = rng.choice(CATEGORIES["bug"] if "outage" not in t else ["BUG-CRASH", "BUG-SYNC", "BUG-PERF"])
    product = rng.choice(list(PRODUCTS))
    version = f"{rng.randint(3, 6)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}" if rng.random() < 0.7 else None
    code = f"E-{rng.randint(1000, 9999)}" if cat in ("BUG-CRASH", "BUG-SYNC", "BUG-INTEGRATION") and rng.random() < 0.7 else None
    where = PRODUCT_TEXT[product]
    tags = {PRODUCTS[product]}
    steps = []
    if cat == "BUG-CRASH":
        action = rng.choice(["export a report to PDF", "open the Reconciliation tab", "attach a receipt photo"])
        body = f"Every time I try to {action} in {where} it crashes and closes."
        summary = f"{where[0].upper()}{where[1:]} crashes when users {action}"
        steps = ["Log in", f"Try to {action}", "App closes"] if rng.random() < 0.6 else []
        blocking, workaround = True, rng.random() < 0.4
    elif cat == "BUG-DATA-LOSS":
        what = rng.choice(["invoices from last week", "the March journal entries", "uploaded receipts"])
        body = f"After the sync this morning, {what} are gone from {where}. We did not delete anything."
        summary = f"{what[0].upper()}{what[1:]} disappeared from {where} after sync"
        tags |= {"data-loss"}
        blocking, workaround = True, False
    elif cat == "BUG-UI":
        what = rng.choice(["the Save button is hidden behind the footer", "dates show as NaN in the ledger view",
                           "the dark mode makes table text unreadable"])
        body = f"Small thing, but in {where} {what}."
        summary = f"UI issue in {where}: {what}"
        blocking, workaround = False, True
    elif cat == "BUG-PERF":
        secs = rng.choice([20, 30, 45, 90])
        body = f"Loading the dashboard in {where} now takes about {secs} seconds. It used to be instant."
        summary = f"Dashboard in {where} takes ~{secs}s to load"
        tags |= {"performance"}
        blocking, workaround = False, True
    elif cat == "BUG-SYNC":
        body = f"Bank feeds in {where} have not synced since yesterday; transactions are missing."
        summary = f"Bank feed sync stopped in {where}"
        blocking, workaround = rng.random() < 0.5, True
    elif cat == "BUG-INTEGRATION":
        tool = rng.choice(["Slack", "Salesforce", "Jira"])
        body = f"The {tool} integration stopped posting updates from {where}."
        summary = f"{tool} integration stopped working"
        tags |= {f"integration-{tool.lower()}"}
        blocking, workaround = False, True
    else:
        body = f"We no longer get e-mail notifications for approvals from {where}."
        summary = f"Approval e-mail notifications not sent from {where}"
        blocking, workaround = False, True
    if version and rng.random() < 0.5:
        tags.add("regression")
        body += f" This started after updating to {version}; it worked fine before."
    elif version:
        body += f" We are on version {version}."
    if code:
        body += f" The error message says: \"Something went wrong ({code})\"."
    if steps:
        body += "\n\nSteps:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    if "outage" in t:
        blocking, workaround = True, False
    if workaround:
        body += "\nWe can work around it for now, but it is annoying."
    elif blocking:
        body += "\nWe cannot do our work until this is fixed."
    org_wide = cat == "BUG-DATA-LOSS" or "outage" in t
    if "outage" in t:
        body += "\nNobody in our company can use the product right now!"
        tags.add("outage")
    if org_wide:
        prio = 1
    elif blocking and not workaround:
        prio = 2
    elif cat == "BUG-UI":
        prio = 4
    else:
        prio = 3
    fields = {"product": product, "affected_version": version, "error_code": code,
              "steps_to_reproduce": steps}
    return cat, prio, tags, summary, body, fields


def billing(rng, t, currency="USD"):
    cat = rng.choice(CATEGORIES["billing"])
    inv = f"INV-{rng.randint(100000, 999999)}" if rng.random() < 0.7 else None
    amount = float(rng.choice([49, 99, 149, 299, 588, 1188, 2400, 7188])) if cat in (
        "PAY-REFUND", "PAY-DOUBLE-CHARGE", "PAY-INVOICE-ERROR") else None
    currency = rng.choice(["USD", "EUR", "GBP"]) if amount is not None else None
    tags = {"invoice"} if inv else set()
    refund = cat in ("PAY-REFUND", "PAY-DOUBLE-CHARGE")
    ref = f" (invoice {inv})" if inv else ""
    amt = f"{currency} {amount:,.2f}" if amount is not None else ""
    if cat == "PAY-REFUND":
        body = f"We were charged {amt}{ref} for seats we removed before the renewal. Please refund the difference."
        summary = f"Refund of {amt} requested for removed seats"
        tags.add("refund")
    elif cat == "PAY-DOUBLE-CHARGE":
        body = f"Our card was charged twice this month, {amt} each time{ref}. Please refund the duplicate."
        summary = f"Duplicate charge of {amt}; refund of duplicate requested"
        tags |= {"duplicate-charge", "refund"}
    elif cat == "PAY-FAILED-PAYMENT":
        body = f"Our payment failed{ref} even though the card is valid and has funds. Can you check?"
        summary = "Card payment failing although the card is valid"
    elif cat == "PAY-INVOICE-ERROR":
        body = f"The invoice{ref} shows {amt} but our contract says a different amount. Please correct it."
        summary = f"Invoice amount {amt} does not match the contract"
    elif cat == "PAY-PLAN-CHANGE":
        body = "We want to move from the monthly to the annual plan. How do we switch, and is the price pro-rated?"
        summary = "Customer wants to switch from monthly to annual billing"
    elif cat == "PAY-TAX-EXEMPT":
        body = f"We are a registered non-profit and should be tax exempt, but VAT was added{ref}. Certificate attached."
        summary = "Tax was charged to a tax-exempt non-profit"
        tags.add("tax")
    else:
        body = "Please cancel our subscription at the end of the current term."
        summary = "Cancellation requested at end of term"
        tags.add("churn-risk")
    if "churn" in t and cat != "PAY-CANCEL":
        body += " If this is not fixed this week we will cancel and move to another provider."
        tags.add("churn-risk")
    if cat == "PAY-DOUBLE-CHARGE" or (amount is not None and amount > 500 and cat != "PAY-REFUND"):
        prio = 2
    elif cat in ("PAY-PLAN-CHANGE", "PAY-CANCEL"):
        prio = 4
    else:
        prio = 3
    fields = {"invoice_number": inv, "amount_disputed": amount, "currency": currency,
              "refund_requested": refund}
    return cat, prio, tags, summary, body, fields


def account(rng, t, sender_email):
    cat = rng.choice(CATEGORIES["account"])
    _, other_email, _ = person(rng)
    target = sender_email if rng.random() < 0.6 else other_email
    users = 1
    tags = set()
    if cat == "ACC-LOCKOUT":
        action, body = "unlock", f"The account {target} is locked after too many login attempts."
        summary = "Locked account after failed logins, unlock requested"
    elif cat == "ACC-MFA-RESET":
        action, body = "reset_mfa", f"I lost my phone and cannot pass two-factor login for {target}."
        summary = "Lost MFA device, reset requested"
        tags.add("mfa")
    elif cat == "ACC-DELETE":
        action, body = "delete", f"Please delete the account {target} and all personal data (GDPR Art. 17)."
        summary = "Account and personal data deletion requested (GDPR)"
        tags.add("gdpr")
    elif cat == "ACC-OWNERSHIP":
        action, body = "transfer_ownership", f"Our admin left the company. Please transfer workspace ownership to {target}."
        summary = "Workspace ownership transfer after admin left"
    elif cat == "ACC-EMAIL-CHANGE":
        action, body = "change_email", f"Please change the login e-mail of {target}; we changed our domain."
        summary = "Login e-mail change after domain change"
    elif cat == "ACC-DATA-EXPORT":
        action, body = "data_export", f"Under GDPR we request a full export of the data stored for {target}."
        summary = "GDPR data export requested"
        tags |= {"gdpr", "export"}
    else:
        users = rng.choice([12, 40, 85, 230])
        action, body = "unlock", f"Since this morning SSO login fails for all {users} users on our domain; {target} included."
        summary = f"SSO login failing for all {users} users of the workspace"
        tags.add("sso")
    if "security" in t:
        body += " We also see logins from an IP address in a country where we have no staff."
        tags.add("security")
    if "security" in t or users > 1:
        prio = 1
    elif cat in ("ACC-LOCKOUT", "ACC-MFA-RESET", "ACC-OWNERSHIP"):
        prio = 2 if cat == "ACC-OWNERSHIP" else 3
    else:
        prio = 3
    fields = {"account_email": target, "action_requested": action, "users_affected": users}
    return cat, prio, tags, summary, body, fields


def feature(rng, t):
    cat = rng.choice(CATEGORIES["feature_request"])
    product = {"FR-MOBILE": rng.choice(["mobile-ios", "mobile-android"]), "FR-API": "public-api"}.get(
        cat, rng.choice(["web-app", "desktop"]))
    asks = {
        "FR-INTEGRATION": ("a HubSpot integration that syncs paid invoices", "integration-salesforce"),
        "FR-REPORTING": ("a cash-flow forecast report by project", "reporting"),
        "FR-MOBILE": ("an offline mode", None),
        "FR-API": ("webhooks for invoice status changes", None),
        "FR-PERMISSIONS": ("a read-only auditor role", "permissions"),
        "FR-UI": ("keyboard shortcuts for approving expenses", None),
    }
    capability, tag = asks[cat]
    if cat == "FR-INTEGRATION":
        tag = None
    workaround = rng.random() < 0.5
    body = f"It would really help us to have {capability} in {PRODUCT_TEXT[product]}."
    body += " Right now we export to a spreadsheet and do it by hand." if workaround else " Today there is no way to do this."
    tags = {PRODUCTS[product]} | ({tag} if tag else set())
    summary = f"Feature request: {capability}"
    fields = {"product": product, "requested_capability": capability, "workaround_exists": workaround}
    return cat, 4, tags, summary, body, fields


def make_case(rng, tags):
    name, email, company = person(rng)
    tier = rng.choice(TIERS) if "enterprise" not in tags else "enterprise"
    if "unknown-tier" in tags:
        tier = "unknown"  # no plan line in the ticket
    kind = next(k for k in ("bug", "billing", "account", "feature_request") if k in tags)
    if kind == "bug":
        cat, prio, ttags, summary, body, fields = bug(rng, tags)
    elif kind == "billing":
        cat, prio, ttags, summary, body, fields = billing(rng, tags)
    elif kind == "account":
        cat, prio, ttags, summary, body, fields = account(rng, tags, email)
    else:
        cat, prio, ttags, summary, body, fields = feature(rng, tags)
    # Enterprise bumps bugs one level (P4 -> P3, P3 -> P2); never feature requests.
    if tier == "enterprise" and kind == "bug" and prio > 2:
        prio -= 1
    if tier == "enterprise":
        ttags.add("enterprise")
    if "angry" in tags:
        body = "THIS IS THE THIRD TIME I AM WRITING ABOUT THIS. " + body + "\nFix it NOW, this is unacceptable."
        ttags.add("angry-customer")
    show_tier = tier != "unknown"
    header = [f"From: {name} <{email}>"]
    if show_tier:
        header.append(f"Customer: {company} (plan: {tier.capitalize()})")
    header.append(f"Subject: {summary[:70]}")
    text = "\n".join(header) + "\n\n" + ("Hi support,\n\n" if rng.random() < 0.7 else "") + body
    if "long-thread" in tags:
        text += ("\n\n-----Original message-----\nFrom: Ledgerly Support\nThanks for reaching out, "
                 "could you send a screenshot and the time it happened?\n\n-----Original message-----\n"
                 f"From: {name}\nSee above. This has now been going on for three days and we have "
                 "already lost time on it. Our finance team is waiting.")
    text += f"\n\nThanks,\n{name.split()[0]}"
    gold = {"kind": kind, "category": cat, "priority": f"P{prio}",
            "customer_tier": tier,
            "tags": sorted(ttags), "summary": summary[:160]}
    gold.update(fields)
    return text, gold


PLAN = [
    (["core", "bug"], 14), (["core", "billing"], 12), (["core", "account"], 10),
    (["core", "feature_request"], 8),
    (["edge", "bug", "outage"], 4), (["edge", "bug", "enterprise"], 4),
    (["edge", "billing", "churn"], 4), (["edge", "account", "security"], 3),
    (["edge", "bug", "angry"], 3), (["edge", "billing", "unknown-tier"], 3),
    (["edge", "bug", "long-thread"], 3), (["edge", "feature_request", "enterprise"], 2),
]


def generate(rng):
    cases = []
    for tags, count in PLAN:
        for _ in range(count):
            text, gold = make_case(rng, tags)
            cases.append({"id": f"tkt-{len(cases) + 1:03d}", "vars": {"ticket": text}, "expected": gold,
                          "tags": list(tags)})
    categories = ("# Ledgerly support taxonomy: every category code, one a line.\n"
                  "# Generated by scripts/gen_suites.py; keep in sync with schema.json.\n"
                  + "".join(c + "\n" for k in CATEGORIES for c in CATEGORIES[k]))
    tags = ("# Ticket tags the support tooling knows, one a line.\n"
            "# Generated by scripts/gen_suites.py.\n" + "".join(t + "\n" for t in TAGS))
    return {"cases.jsonl": cases, "categories.txt": categories, "tags.txt": tags}
