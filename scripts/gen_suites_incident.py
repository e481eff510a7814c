"""Incident-report suite: gold post-incident reports in a rigid plain-text template, and the
raw incident-channel notes each one is written from."""

import datetime

SERVICES = [("checkout-api", "payments", True), ("search-service", "discovery", True),
            ("auth-gateway", "identity", True), ("notification-worker", "messaging", True),
            ("billing-batch", "billing", False), ("media-upload", "content", True),
            ("inventory-sync", "supply", False), ("mobile-bff", "mobile", True),
            ("reporting-etl", "data", False), ("pricing-engine", "pricing", True)]
REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1", "us-west-2"]
HANDLES = ["ana.k", "tom", "priya", "jmueller", "s.okafor", "lena", "dev_raj", "mkowalski", "chen.w"]

# Each scenario: title, root cause, events [(minute offset or "end", timeline text, chat text)],
# action items [(text, owner team)]. {svc} {release} {region} {team} {pct} are filled in.
SCENARIOS = [
    {"key": "bad-release",
     "title": "{svc} elevated error rate after release {release}",
     "cause": "Release {release} reduced the database connection pool of {svc} from 50 to 5 connections per "
              "instance. Under normal load requests queued for a connection and timed out, which surfaced as "
              "HTTP 503 responses.",
     "events": [(0, "Alert fired: {svc} 5xx rate above 5% in {region}", "PagerDuty: [FIRING] {svc} 5xx rate > 5% ({region})"),
                (4, "On-call engineer acknowledged and opened the incident channel", "{h1}: ack, looking"),
                (9, "Error spike correlated with the deployment of release {release}", "{h1}: errors started right after deploy {release}, ~{pct}% of requests failing"),
                (14, "Rollback of release {release} started", "{h2}: rolling back {release} now"),
                ("end", "Error rate back to baseline; incident resolved", "{h1}: 5xx back to baseline, resolving")],
     "actions": [("Add a canary stage with automatic rollback on 5xx rate for {svc}", "team-{team}"),
                 ("Alert on connection pool saturation before requests fail", "team-sre"),
                 ("Validate connection pool settings in the release checklist", "team-{team}")]},
    {"key": "cert-expiry",
     "title": "{svc} TLS certificate expired",
     "cause": "The TLS certificate for the public endpoint of {svc} expired. Automatic renewal had been failing "
              "silently for three weeks because the DNS validation record was removed during a zone clean-up.",
     "events": [(0, "Synthetic checks for {svc} started failing with certificate errors", "Checkly: {svc} https check FAILED: certificate has expired"),
                (6, "On-call engineer confirmed the certificate had expired", "{h1}: cert expired at 00:00 UTC?? checking"),
                (18, "Renewal failure traced to the missing DNS validation record", "{h2}: renewal has been failing for 3 weeks, the _acme-challenge record is gone"),
                (27, "DNS record restored and certificate renewed manually", "{h2}: record back, cert renewed, deploying"),
                ("end", "New certificate live on all edges; incident resolved", "{h1}: all edges serving new cert, closing")],
     "actions": [("Alert when a certificate is within 14 days of expiry", "team-sre"),
                 ("Page on failed certificate renewals instead of logging them", "team-{team}"),
                 ("Protect validation records from zone clean-up scripts", "team-network")]},
    {"key": "db-failover",
     "title": "{svc} unavailable during database failover",
     "cause": "The primary database instance for {svc} in {region} failed a storage health check and the cluster "
              "failed over. The application cached the old primary's address and kept writing to it until its "
              "instances were restarted.",
     "events": [(0, "Alert fired: {svc} write errors in {region}", "Datadog: [P1] {svc} write error rate critical ({region})"),
                (3, "On-call engineer acknowledged", "{h1}: on it"),
                (11, "Database failover identified as the trigger", "{h2}: RDS event log shows failover at the start of this"),
                (19, "Rolling restart of {svc} instances started", "{h1}: restarting pods so they pick up the new primary"),
                ("end", "Writes succeeding on all instances; incident resolved", "{h1}: all pods healthy, writes OK")],
     "actions": [("Resolve the database endpoint on every reconnect instead of caching it", "team-{team}"),
                 ("Run a failover game day for {svc} every quarter", "team-sre")]},
    {"key": "cache-stampede",
     "title": "{svc} latency spike after cache flush",
     "cause": "A manual flush of the shared cache during maintenance sent every request for {svc} to the "
              "database at once. The database saturated its CPU and p99 latency rose above 8 seconds until the "
              "cache warmed up again.",
     "events": [(0, "Alert fired: {svc} p99 latency above 2 s", "Grafana alert: {svc} p99 latency > 2s"),
                (5, "On-call engineer acknowledged and opened the incident channel", "{h1}: ack"),
                (8, "Latency linked to the cache flush performed during maintenance", "{h2}: oh. I flushed the cache at the start of the maintenance window"),
                (16, "Request rate limited and cache pre-warmed from the hot-key list", "{h1}: enabling request shedding + warming the hot keys"),
                ("end", "Latency back to normal; incident resolved", "{h1}: p99 normal again")],
     "actions": [("Require request coalescing for cache misses in {svc}", "team-{team}"),
                 ("Replace manual cache flushes with a staged invalidation runbook", "team-sre")]},
    {"key": "config-push",
     "title": "{svc} rejecting requests after a feature-flag change",
     "cause": "A feature-flag change enabled strict input validation for all tenants of {svc} instead of the "
              "intended test tenant. Valid requests from older mobile clients were rejected with HTTP 400.",
     "events": [(0, "Customer support reported a spike in failed requests", "support-bot: 40 new tickets in 10 min mentioning 'request failed'"),
                (7, "On-call engineer paged and acknowledged", "{h1}: paged by support, looking"),
                (12, "Failures traced to the feature-flag change for strict validation", "{h1}: flag strict_validation flipped to 100% at the start"),
                (15, "Feature flag reverted", "{h2}: reverted the flag"),
                ("end", "Error rate back to baseline; incident resolved", "{h1}: 400s gone, resolving")],
     "actions": [("Require a second reviewer for flag changes that target all tenants", "team-{team}"),
                 ("Alert on 4xx rate per client version", "team-sre")],
     "detection": "Detected by customer support from a spike in tickets, not by monitoring."},
    {"key": "disk-full",
     "title": "{svc} stopped processing after disk filled up",
     "cause": "Debug logging left enabled after an earlier investigation filled the data volume of {svc}. "
              "With no free space, the service could not write checkpoints and stopped processing.",
     "events": [(0, "Alert fired: {svc} queue lag above threshold", "PagerDuty: [FIRING] {svc} consumer lag > 10k"),
                (9, "On-call engineer acknowledged", "{h1}: ack, sorry was in a meeting"),
                (17, "Full data volume identified", "{h1}: disk 100% on all workers"),
                (24, "Debug logging disabled and old logs removed", "{h2}: turned off debug logs, cleaned up"),
                ("end", "Backlog processed; incident resolved", "{h1}: lag back to zero")],
     "actions": [("Alert at 80% disk usage on all {svc} workers", "team-sre"),
                 ("Expire debug log level automatically after 24 hours", "team-{team}")]},
    {"key": "third-party",
     "title": "{svc} degraded by upstream provider outage",
     "cause": "An outage at the upstream SMS and e-mail provider in {region} made its API time out. {svc} retried "
              "without backoff, which exhausted its worker pool and delayed all outgoing messages.",
     "events": [(0, "Alert fired: {svc} provider timeout rate high", "Datadog: provider_timeout_rate critical for {svc}"),
                (4, "On-call engineer acknowledged", "{h1}: looking"),
                (10, "Provider status page confirmed an outage in {region}", "{h2}: their status page says major outage"),
                (21, "Traffic switched to the secondary provider", "{h1}: failing over to the backup provider"),
                ("end", "Message delivery back to normal; incident resolved", "{h1}: queue drained")],
     "actions": [("Add exponential backoff and a circuit breaker to provider calls", "team-{team}"),
                 ("Automate failover to the secondary provider", "team-{team}")]},
    {"key": "credential-rotation",
     "title": "{svc} authentication failures after credential rotation",
     "cause": "A scheduled credential rotation updated the service account secret in the vault, but {svc} only "
              "reads secrets at start-up. Running instances kept the revoked credential and failed to authenticate.",
     "events": [(0, "Alert fired: {svc} authentication errors", "PagerDuty: [FIRING] {svc} 401 from upstream"),
                (5, "On-call engineer acknowledged", "{h1}: ack"),
                (13, "Failures linked to the scheduled credential rotation", "{h2}: the rotation job ran right before this"),
                (17, "Instances restarted to load the new credential", "{h1}: restarting everything"),
                ("end", "Authentication succeeding; incident resolved", "{h1}: all green")],
     "actions": [("Reload secrets without a restart in {svc}", "team-{team}"),
                 ("Run rotations with a canary instance first", "team-security")]},
]


def fmt(text, ctx):
    return text.format(**ctx)


def make_case(rng, number, tags):
    svc, team, customer_facing = rng.choice(SERVICES)
    if "sev1" in tags:
        svc, team, customer_facing = rng.choice([s for s in SERVICES if s[2]])
    scen = rng.choice([s for s in SCENARIOS if ("detection" in s) == ("customer-reported" in tags)])
    region = rng.choice(REGIONS)
    day = datetime.date(2024, 1, 3) + datetime.timedelta(days=rng.randrange(0, 320))
    start = datetime.datetime.combine(day, datetime.time(rng.randrange(0, 23), rng.randrange(0, 60)))
    duration = rng.randint(32, 150)
    if "sev1" in tags:
        pct = 100
    elif "sev3" in tags:
        pct = rng.randint(1, 4)
    else:
        pct = rng.randint(6, 60)
    if not customer_facing:
        severity = "SEV3"
    elif pct == 100:
        severity = "SEV1"
    elif pct >= 5:
        severity = "SEV2"
    else:
        severity = "SEV3"
    h1, h2 = rng.sample(HANDLES, 2)
    ctx = {"svc": svc, "team": team, "region": region, "pct": pct, "h1": "@" + h1, "h2": "@" + h2,
           "release": f"{day:%Y.%m.%d}-{rng.randint(1, 4)}"}
    events = []
    for offset, timeline, chat in scen["events"]:
        t = start + datetime.timedelta(minutes=duration if offset == "end" else offset)
        events.append((t, fmt(timeline, ctx), fmt(chat, ctx)))
    inc_id = f"INC-{day.year}-{number:04d}"
    end = events[-1][0]
    # --- gold report
    requests = rng.randint(200, 900) * duration * (pct if pct < 100 else 100) // 10
    scope = "all users" if pct == 100 else f"about {pct}% of requests"
    if customer_facing:
        impact = (f"Duration: {duration} minutes.\n{svc} failed for {scope} in {region} "
                  f"(approx. {requests:,} failed requests). Customers were affected.")
    else:
        impact = (f"Duration: {duration} minutes.\nInternal service only: {svc} processing was delayed for "
                  f"{scope}; no customer-facing impact.")
    summary = (f"On {day.isoformat()} between {start:%H:%M} and {end:%H:%M} UTC, {svc} was impaired "
               f"({scope} affected in {region}). {fmt(scen['cause'], ctx).split('. ')[0]}. "
               f"The incident was mitigated and the service recovered.")
    lines = [f"INCIDENT: {inc_id} - {fmt(scen['title'], ctx)}", f"SEVERITY: {severity}", "",
             "SUMMARY:", summary, "", "IMPACT:", impact, ""]
    if "detection" in scen:
        lines += ["DETECTION:", scen["detection"], ""]
    lines += ["TIMELINE:"] + [f"{t:%H:%M} UTC {text}" for t, text, _ in events] + [""]
    lines += ["ROOT CAUSE:", fmt(scen["cause"], ctx), "", "ACTION ITEMS:"]
    due = day + datetime.timedelta(days=14)
    for text, owner in scen["actions"]:
        lines.append(f"- {fmt(text, ctx)} (owner: {fmt(owner, ctx)}, due: {due.isoformat()})")
    report = "\n".join(lines) + "\n"
    # --- notes: the channel export the report is written from
    offset_h = 2 if "local-time" in tags else 0
    zone = "CEST (UTC+2)" if offset_h else "UTC"
    local_day = (start + datetime.timedelta(hours=offset_h)).date()
    notes = [f"#{inc_id.lower()} channel export, {local_day.isoformat()}, times {zone}"]
    chat_lines = []
    for i, (t, _, chat) in enumerate(events):
        local = t + datetime.timedelta(hours=offset_h)
        if "mixed-time-formats" in tags and i == 0:
            chat_lines.append(f"{local:%Y-%m-%dT%H:%M:%S}{'Z' if not offset_h else '+02:00'} {chat}")
        else:
            chat_lines.append(f"[{local:%H:%M}] {chat}")
    noise = [f"@{rng.choice(HANDLES)}: +1", f"@{rng.choice(HANDLES)}: is this related to the {rng.choice(REGIONS)} thing last week?",
             f"@{rng.choice(HANDLES)}: customers are asking in the status channel",
             f"@{rng.choice(HANDLES)}: I'll take notes"]
    if "long-log" in tags:
        noise += [f"@{rng.choice(HANDLES)}: graphs attached", f"@{rng.choice(HANDLES)}: dashboards are slow too, probably unrelated",
                  f"@{rng.choice(HANDLES)}: who is incident commander?", f"@{rng.choice(HANDLES)}: {ctx['h1']} is IC",
                  f"@{rng.choice(HANDLES)}: status page updated", f"@{rng.choice(HANDLES)}: should we page the vendor?",
                  f"@{rng.choice(HANDLES)}: no, not yet", f"@{rng.choice(HANDLES)}: ok"] * 2
    blame = f"{ctx['h2']}: honestly this is totally the fault of whoever approved that change"
    out = []
    for i, line in enumerate(chat_lines):
        out.append(line)
        if i == 2 and "blame-in-notes" in tags:
            out.append(f"[{events[i][0] + datetime.timedelta(hours=offset_h, minutes=1):%H:%M}] {blame}")
        if i < len(chat_lines) - 1:
            k = rng.randint(0, 3 if "long-log" not in tags else 6)
            t = events[i][0] + datetime.timedelta(hours=offset_h, minutes=1)
            for n in rng.sample(noise, min(k, len(noise))):
                out.append(f"[{t:%H:%M}] {n}")
    notes += out
    notes.append(f"[{end + datetime.timedelta(hours=offset_h, minutes=2):%H:%M}] {ctx['h1']}: scope: {scope} in {region}, "
                 f"~{requests:,} failed requests, customer-facing: {'yes' if customer_facing else 'no'}")
    notes.append(f"[{end + datetime.timedelta(hours=offset_h, minutes=3):%H:%M}] {ctx['h1']}: follow-ups: "
                 + "; ".join(fmt(a, ctx) + f" ({fmt(o, ctx)})" for a, o in scen["actions"]) + f" - all due {due.isoformat()}")
    vars_ = {"incident_id": inc_id, "service": svc, "notes": "\n".join(notes)}
    tags = list(tags) + [severity.lower()] if severity.lower() not in tags else list(tags)
    return vars_, report, tags


PLAN = [
    (["core"], 28), (["core", "sev1"], 6), (["edge", "sev3"], 6), (["edge", "local-time"], 6),
    (["edge", "mixed-time-formats"], 4), (["edge", "long-log"], 6), (["edge", "blame-in-notes"], 4),
    (["edge", "customer-reported"], 6),
]


def generate(rng):
    cases = []
    numbers = rng.sample(range(1, 9999), sum(n for _, n in PLAN))
    for tags, count in PLAN:
        for _ in range(count):
            vars_, report, case_tags = make_case(rng, numbers[len(cases)], tags)
            cases.append({"id": f"inc-{len(cases) + 1:03d}", "vars": vars_, "expected": report,
                          "tags": case_tags})
    return {"cases.jsonl": cases}
