"""Medical-coding suite: a SYNTHETIC proprietary taxonomy ("CX" codes, not ICD) and clinical
notes written from gold code assignments.

Code shape: CX-<chapter letter><category, 2 digits>.<subcode, 2 digits>, e.g. CX-A03.17.
Subcode 00 is always "unspecified"; 99 is always "other specified". The qualifier groups a
concept takes (course, severity, laterality, encounter, complication) decide its other subcodes.
"""

import itertools

# chapter letter -> (chapter title, [(concept, note wording, abbreviation, qualifier groups)])
CHAPTERS = {
    "A": ("Circulatory", [
        ("essential hypertension", "hypertension", "HTN", ["control", "complication"]),
        ("heart failure, systolic", "systolic heart failure", "HFrEF", ["course", "severity"]),
        ("heart failure, diastolic", "diastolic heart failure", "HFpEF", ["course", "severity"]),
        ("atrial fibrillation", "atrial fibrillation", "AF", ["af_type", "control"]),
        ("coronary artery disease", "coronary artery disease", "CAD", ["complication", "severity"]),
        ("deep vein thrombosis, lower limb", "deep vein thrombosis of the leg", "DVT", ["course", "laterality", "complication"]),
        ("peripheral arterial disease", "peripheral arterial disease", "PAD", ["laterality", "severity"]),
        ("acute myocardial infarction", "myocardial infarction", "MI", ["mi_site", "encounter"]),
        ("pulmonary embolism", "pulmonary embolism", "PE", ["course", "complication"]),
        ("varicose veins, lower limb", "varicose veins", None, ["laterality", "complication"]),
    ]),
    "B": ("Respiratory", [
        ("asthma", "asthma", None, ["asthma_sev", "exacerbation"]),
        ("chronic obstructive pulmonary disease", "COPD", "COPD", ["exacerbation", "severity"]),
        ("community-acquired pneumonia", "community-acquired pneumonia", "CAP", ["organism", "severity", "complication"]),
        ("acute bronchitis", "acute bronchitis", None, ["organism", "severity"]),
        ("obstructive sleep apnoea", "obstructive sleep apnoea", "OSA", ["severity", "complication"]),
        ("pleural effusion", "pleural effusion", None, ["laterality", "course"]),
        ("acute sinusitis", "acute sinusitis", None, ["recurrence", "organism"]),
        ("interstitial lung disease", "interstitial lung disease", "ILD", ["course", "severity"]),
    ]),
    "C": ("Endocrine and metabolic", [
        ("type 2 diabetes mellitus", "type 2 diabetes", "T2DM", ["dm_compl", "control", "insulin"]),
        ("type 1 diabetes mellitus", "type 1 diabetes", "T1DM", ["dm_compl", "control"]),
        ("hypothyroidism", "hypothyroidism", None, ["thyroid_cause", "control"]),
        ("hyperthyroidism", "hyperthyroidism", None, ["thyroid_cause", "complication"]),
        ("hyperlipidaemia", "hyperlipidaemia", "HLD", ["lipid_type", "control"]),
        ("obesity", "obesity", None, ["bmi_class", "complication"]),
        ("vitamin D deficiency", "vitamin D deficiency", None, ["severity", "course"]),
        ("gout", "gout", None, ["course", "joint"]),
    ]),
    "D": ("Renal and urinary", [
        ("chronic kidney disease", "chronic kidney disease", "CKD", ["ckd_stage", "dialysis"]),
        ("acute kidney injury", "acute kidney injury", "AKI", ["aki_stage", "encounter"]),
        ("urinary tract infection", "urinary tract infection", "UTI", ["uti_site", "recurrence"]),
        ("kidney stone", "kidney stone", None, ["laterality", "complication"]),
        ("benign prostatic hyperplasia", "benign prostatic hyperplasia", "BPH", ["complication", "severity"]),
    ]),
    "E": ("Digestive", [
        ("gastro-oesophageal reflux disease", "reflux disease", "GERD", ["complication", "severity"]),
        ("acute appendicitis", "acute appendicitis", None, ["complication", "encounter"]),
        ("cholelithiasis", "gallstones", None, ["complication", "course"]),
        ("Crohn disease", "Crohn's disease", None, ["gi_site", "complication"]),
        ("ulcerative colitis", "ulcerative colitis", "UC", ["gi_site", "severity"]),
        ("irritable bowel syndrome", "irritable bowel syndrome", "IBS", ["ibs_type", "severity"]),
        ("acute pancreatitis", "acute pancreatitis", None, ["pancreatitis_cause", "severity"]),
        ("alcoholic liver disease", "alcoholic liver disease", "ALD", ["liver_stage", "complication"]),
        ("diverticulitis", "diverticulitis", None, ["complication", "recurrence"]),
    ]),
    "F": ("Musculoskeletal", [
        ("osteoarthritis, knee", "osteoarthritis of the knee", "OA knee", ["laterality", "severity", "complication"]),
        ("osteoarthritis, hip", "osteoarthritis of the hip", "OA hip", ["laterality", "severity", "complication"]),
        ("rheumatoid arthritis", "rheumatoid arthritis", "RA", ["serology", "course"]),
        ("low back pain", "low back pain", "LBP", ["course", "radiculopathy"]),
        ("rotator cuff tear", "rotator cuff tear", None, ["laterality", "tear_type"]),
        ("osteoporosis", "osteoporosis", None, ["fracture_status", "osteo_cause"]),
        ("plantar fasciitis", "plantar fasciitis", None, ["laterality", "course"]),
        ("carpal tunnel syndrome", "carpal tunnel syndrome", "CTS", ["laterality", "severity", "course"]),
    ]),
    "G": ("Injury", [
        ("fracture of distal radius", "distal radius fracture", None, ["laterality", "encounter", "displacement"]),
        ("fracture of neck of femur", "hip fracture", "NOF #", ["laterality", "encounter", "displacement"]),
        ("ankle sprain", "ankle sprain", None, ["laterality", "encounter", "severity"]),
        ("concussion", "concussion", None, ["loc", "encounter"]),
        ("laceration of hand", "hand laceration", None, ["laterality", "encounter", "complication"]),
        ("burn of forearm", "forearm burn", None, ["burn_degree", "laterality", "encounter"]),
        ("dog bite", "dog bite", None, ["bite_site", "encounter"]),
    ]),
    "H": ("Mental and behavioural", [
        ("major depressive disorder", "major depressive disorder", "MDD", ["mdd_episode", "severity", "remission"]),
        ("generalised anxiety disorder", "generalised anxiety disorder", "GAD", ["course", "severity"]),
        ("alcohol use disorder", "alcohol use disorder", "AUD", ["sud_severity", "remission"]),
        ("opioid use disorder", "opioid use disorder", "OUD", ["sud_severity", "remission"]),
        ("insomnia", "insomnia", None, ["course", "severity"]),
        ("attention-deficit hyperactivity disorder", "ADHD", "ADHD", ["adhd_type"]),
        ("bipolar disorder", "bipolar disorder", None, ["bipolar_episode", "severity"]),
        ("post-traumatic stress disorder", "post-traumatic stress disorder", "PTSD", ["course", "severity"]),
    ]),
    "J": ("Nervous system", [
        ("migraine", "migraine", None, ["aura", "intractable", "status"]),
        ("epilepsy", "epilepsy", None, ["seizure_type", "intractable"]),
        ("Parkinson disease", "Parkinson's disease", "PD", ["fluctuation", "severity"]),
        ("ischaemic stroke", "ischaemic stroke", "CVA", ["laterality", "encounter", "severity"]),
        ("peripheral neuropathy", "peripheral neuropathy", None, ["neuro_cause", "severity"]),
        ("multiple sclerosis", "multiple sclerosis", "MS", ["ms_course", "severity"]),
        ("dementia, Alzheimer type", "Alzheimer's dementia", None, ["dementia_stage", "behaviour"]),
    ]),
    "K": ("Skin", [
        ("cellulitis, lower limb", "cellulitis of the leg", None, ["laterality", "organism", "severity"]),
        ("atopic dermatitis", "atopic dermatitis", None, ["severity", "flare"]),
        ("psoriasis", "psoriasis", None, ["psoriasis_type", "severity"]),
        ("pressure ulcer, sacral", "sacral pressure ulcer", None, ["ulcer_stage", "complication"]),
        ("herpes zoster", "shingles", None, ["zoster_compl", "course"]),
        ("acne vulgaris", "acne", None, ["severity", "acne_type"]),
    ]),
    "L": ("Infectious", [
        ("COVID-19", "COVID-19", None, ["severity", "complication"]),
        ("influenza", "influenza", None, ["flu_type", "complication"]),
        ("sepsis", "sepsis", None, ["organism", "sepsis_sev"]),
        ("Lyme disease", "Lyme disease", None, ["lyme_stage", "complication"]),
        ("infectious gastroenteritis", "gastroenteritis", None, ["organism", "dehydration"]),
    ]),
    "M": ("Blood and immune", [
        ("iron deficiency anaemia", "iron deficiency anaemia", "IDA", ["anaemia_cause", "severity"]),
        ("vitamin B12 deficiency anaemia", "B12 deficiency anaemia", None, ["severity", "course"]),
        ("thrombocytopenia", "thrombocytopenia", None, ["course", "severity"]),
        ("anaphylaxis", "anaphylaxis", None, ["allergen", "encounter"]),
    ]),
    "N": ("Eye and ear", [
        ("cataract", "cataract", None, ["laterality", "cataract_type", "severity"]),
        ("glaucoma, open-angle", "open-angle glaucoma", "POAG", ["laterality", "glaucoma_stage"]),
        ("acute otitis media", "acute otitis media", "AOM", ["laterality", "recurrence", "complication"]),
        ("conjunctivitis", "conjunctivitis", None, ["laterality", "organism", "course"]),
        ("sensorineural hearing loss", "sensorineural hearing loss", "SNHL", ["laterality", "severity"]),
    ]),
    "P": ("Pregnancy", [
        ("gestational diabetes", "gestational diabetes", "GDM", ["gdm_control", "trimester"]),
        ("pre-eclampsia", "pre-eclampsia", None, ["severity", "trimester"]),
        ("hyperemesis gravidarum", "hyperemesis gravidarum", None, ["trimester", "dehydration"]),
    ]),
    "R": ("Symptoms and signs", [
        ("chest pain", "chest pain", None, ["chest_pain_type", "course"]),
        ("abdominal pain", "abdominal pain", None, ["abdo_site", "course"]),
        ("headache", "headache", None, ["course", "severity"]),
        ("syncope", "syncope", None, ["recurrence", "course"]),
        ("shortness of breath", "shortness of breath", "SOB", ["course", "severity"]),
        ("fever", "fever", None, ["course", "severity"]),
        ("dizziness", "dizziness", None, ["course", "severity"]),
        ("fatigue", "fatigue", None, ["course", "severity"]),
        ("palpitations", "palpitations", None, ["course", "recurrence"]),
        ("weight loss, abnormal", "unintentional weight loss", None, ["course"]),
        ("cough", "cough", None, ["course", "organism"]),
    ]),
    "S": ("Status and history", [
        ("long-term anticoagulant use", "long-term anticoagulation", None, ["anticoag"]),
        ("long-term insulin use", "long-term insulin use", None, []),
        ("nicotine dependence", "current smoker", None, ["nicotine"]),
        ("history of falls", "history of falls", None, ["recurrence"]),
        ("presence of cardiac pacemaker", "pacemaker in situ", "PPM", []),
        ("status post knee replacement", "s/p knee replacement", "TKR", ["laterality"]),
        ("allergy to penicillin", "penicillin allergy", None, []),
    ]),
}

# Qualifier groups: the wording used in a note for each subcode value.
GROUPS = {
    "course": ["acute", "chronic", "acute on chronic", "recurrent", "resolving"],
    "severity": ["mild", "moderate", "severe"],
    "laterality": ["left", "right", "bilateral"],
    "encounter": ["initial encounter", "subsequent encounter", "sequela"],
    "complication": ["without complication", "with complication"],
    "control": ["well controlled", "poorly controlled"],
    "af_type": ["paroxysmal", "persistent", "permanent"],
    "mi_site": ["anterior wall", "inferior wall", "non-ST elevation"],
    "asthma_sev": ["mild intermittent", "mild persistent", "moderate persistent", "severe persistent"],
    "exacerbation": ["with acute exacerbation", "stable"],
    "organism": ["bacterial", "viral", "organism unspecified"],
    "recurrence": ["first episode", "recurrent"],
    "dm_compl": ["without complications", "with nephropathy", "with retinopathy",
                 "with neuropathy", "with hyperglycaemia", "with hypoglycaemia"],
    "thyroid_cause": ["autoimmune", "post-surgical", "drug-induced"],
    "lipid_type": ["pure hypercholesterolaemia", "mixed", "hypertriglyceridaemia"],
    "bmi_class": ["class I", "class II", "class III"],
    "joint": ["of the foot", "of the knee", "of the hand"],
    "ckd_stage": ["stage 1", "stage 2", "stage 3a", "stage 3b", "stage 4", "stage 5", "end-stage"],
    "aki_stage": ["stage 1", "stage 2", "stage 3"],
    "uti_site": ["cystitis", "pyelonephritis", "site not specified"],
    "gi_site": ["of small intestine", "of large intestine", "of both"],
    "ibs_type": ["with diarrhoea", "with constipation", "mixed type"],
    "pancreatitis_cause": ["biliary", "alcohol-induced", "idiopathic"],
    "liver_stage": ["fatty liver", "alcoholic hepatitis", "cirrhosis"],
    "serology": ["seropositive", "seronegative"],
    "radiculopathy": ["with radiculopathy", "without radiculopathy"],
    "tear_type": ["partial thickness", "full thickness"],
    "fracture_status": ["without current fracture", "with current pathological fracture"],
    "loc": ["without loss of consciousness", "with brief loss of consciousness"],
    "burn_degree": ["first degree", "second degree", "third degree"],
    "bite_site": ["of hand", "of leg", "of face"],
    "mdd_episode": ["single episode", "recurrent"],
    "sud_severity": ["mild", "moderate", "severe"],
    "remission": ["in early remission", "in sustained remission"],
    "adhd_type": ["inattentive type", "hyperactive type", "combined type"],
    "bipolar_episode": ["current episode depressed", "current episode manic", "current episode mixed"],
    "aura": ["with aura", "without aura"],
    "intractable": ["intractable", "not intractable"],
    "seizure_type": ["focal", "generalised"],
    "fluctuation": ["with fluctuations", "without fluctuations"],
    "neuro_cause": ["diabetic", "alcoholic", "chemotherapy-induced", "idiopathic"],
    "ms_course": ["relapsing-remitting", "secondary progressive", "primary progressive"],
    "dementia_stage": ["mild", "moderate", "severe"],
    "behaviour": ["with behavioural disturbance", "without behavioural disturbance"],
    "flare": ["in flare", "quiescent"],
    "psoriasis_type": ["plaque", "guttate", "with arthropathy"],
    "ulcer_stage": ["stage 1", "stage 2", "stage 3", "stage 4", "unstageable"],
    "zoster_compl": ["without complication", "ophthalmic", "with post-herpetic neuralgia"],
    "flu_type": ["influenza A", "influenza B"],
    "sepsis_sev": ["without septic shock", "with septic shock"],
    "lyme_stage": ["early localised", "early disseminated", "late"],
    "dehydration": ["with dehydration", "without dehydration"],
    "anaemia_cause": ["secondary to chronic blood loss", "due to inadequate intake"],
    "allergen": ["food", "insect sting", "drug"],
    "cataract_type": ["nuclear", "cortical", "posterior subcapsular"],
    "glaucoma_stage": ["mild stage", "moderate stage", "severe stage"],
    "gdm_control": ["diet-controlled", "insulin-controlled"],
    "trimester": ["first trimester", "second trimester", "third trimester"],
    "chest_pain_type": ["pleuritic", "atypical", "on exertion"],
    "abdo_site": ["right upper quadrant", "right lower quadrant", "epigastric", "generalised"],
    "anticoag": ["warfarin", "direct oral anticoagulant"],
    "dialysis": ["on dialysis", "not on dialysis"],
    "osteo_cause": ["postmenopausal", "age-related", "drug-induced"],
    "acne_type": ["comedonal", "inflammatory", "nodulocystic"],
    "displacement": ["displaced", "non-displaced"],
    "insulin": ["on insulin", "not on insulin"],
    "status": ["with status migrainosus", "without status migrainosus"],
    "nicotine": ["cigarettes", "e-cigarettes", "in remission"],
}


def build_taxonomy():
    """Returns [(code, description, concept index, qualifiers tuple)] in code order, and
    {(concept key, qualifiers tuple): code}."""
    rows, index = [], {}
    for letter, (_, concepts) in CHAPTERS.items():
        for ci, (name, _, _, groups) in enumerate(concepts):
            category = f"{ci * 3 + 1:02d}"  # gaps of 3 leave room, as real taxonomies do
            combos = [()]
            for g in groups:
                combos += [(q,) for q in GROUPS[g]]
            for a, b in itertools.combinations(groups, 2):
                combos += list(itertools.product(GROUPS[a], GROUPS[b]))
            if len(groups) == 3:
                combos += list(itertools.product(*(GROUPS[g] for g in groups)))
            combos = combos[:99]
            for si, quals in enumerate(combos):
                code = f"CX-{letter}{category}.{si:02d}"
                desc = name if not quals else f"{name}, {', '.join(quals)}"
                if not quals:
                    desc += ", unspecified"
                rows.append((code, desc, (letter, ci), quals))
                index[((letter, ci), quals)] = code
            code = f"CX-{letter}{category}.99"
            rows.append((code, f"{name}, other specified", (letter, ci), ("other specified",)))
            index[((letter, ci), ("other specified",))] = code
            # The two categories after each concept: personal history (with the concept's single
            # qualifiers) and family history. Notes rarely need them; a model that lacks the
            # taxonomy confuses them with the condition itself.
            hist = [()] + [(q,) for g in groups for q in GROUPS[g]]
            for si, quals in enumerate(hist[:99]):
                code = f"CX-{letter}{ci * 3 + 2:02d}.{si:02d}"
                rows.append((code, f"personal history of {name}" + (f", {', '.join(quals)}" if quals else ""),
                             (letter, ci), ("history",) + quals))
                index[((letter, ci), ("history",) + quals)] = code
            code = f"CX-{letter}{ci * 3 + 3:02d}.00"
            rows.append((code, f"family history of {name}", (letter, ci), ("family history",)))
            index[((letter, ci), ("family history",))] = code
    return rows, index


ENCOUNTERS = {
    "outpatient": ["Outpatient follow-up, internal medicine clinic", "Outpatient visit, family practice",
                   "Specialist clinic review"],
    "inpatient": ["Inpatient progress note, hospital day 2", "Admission history and physical",
                  "Discharge summary"],
    "emergency": ["Emergency department note", "ED physician assessment"],
    "telehealth": ["Telehealth video visit", "Telephone consultation"],
}

# Presenting symptom (chapter R concept name) that stands in for a suspected diagnosis.
RULE_OUT = [
    ("chest pain", "acute coronary syndrome", ["chest_pain_type"]),
    ("shortness of breath", "pulmonary embolism", ["course"]),
    ("abdominal pain", "acute appendicitis", ["abdo_site"]),
    ("headache", "subarachnoid haemorrhage", ["course"]),
    ("syncope", "cardiac arrhythmia", ["recurrence"]),
    ("fever", "sepsis", ["course"]),
    ("dizziness", "posterior circulation stroke", ["course"]),
    ("palpitations", "atrial fibrillation", ["recurrence"]),
    ("weight loss, abnormal", "malignancy", ["course"]),
    ("cough", "tuberculosis", ["course"]),
]

# (negated finding, the concept it rules out): never coded, and never used in a note that codes
# that concept, so the note stays consistent with its gold.
NEGATIONS = [("denies chest pain", "chest pain"),
             ("no calf tenderness, DVT considered unlikely", "deep vein thrombosis, lower limb"),
             ("no fever or rigors", "fever"), ("denies suicidal ideation", None),
             ("no focal neurological deficit", "ischaemic stroke"),
             ("no evidence of pneumonia on chest X-ray", "community-acquired pneumonia"),
             ("urinalysis negative, no UTI", "urinary tract infection"),
             ("denies melaena or haematemesis", None),
             ("no signs of cellulitis", "cellulitis, lower limb")]

FINDINGS = ["BP 148/92, HR 88, SpO2 95% on room air", "BP 132/78, HR 72, afebrile",
            "HR 104 irregular, BP 118/70, RR 20", "T 38.4 C, HR 98, BP 124/76",
            "BMI 36.2, BP 141/89", "alert and oriented, GCS 15, vitals stable"]

PLANS = ["continue current management, review in 4 weeks", "labs today (CBC, BMP, HbA1c)",
         "adjust dose as discussed, patient agrees with plan", "refer to specialist clinic",
         "education provided, safety-net advice given", "repeat imaging in 6 weeks"]

AGES = list(range(19, 94))


def concepts(exclude_chapters=("R", "S")):
    return [(letter, ci) for letter, (_, cs) in CHAPTERS.items() if letter not in exclude_chapters
            for ci in range(len(cs))]


def concept(key):
    letter, ci = key
    return CHAPTERS[letter][1][ci]


def concept_by_name(name):
    for letter, (_, cs) in CHAPTERS.items():
        for ci, c in enumerate(cs):
            if c[0] == name:
                return (letter, ci)
    raise KeyError(name)


def pick_quals(rng, key, documented):
    """Qualifiers for a concept: one value from each documented group, in group order."""
    groups = concept(key)[3]
    chosen = [g for g in groups if g in documented]
    return tuple(rng.choice(GROUPS[g]) for g in chosen)


def phrase(rng, key, quals, abbreviate):
    name, wording, abbr, _ = concept(key)
    word = abbr if abbreviate and abbr else wording
    if not quals:
        return word[0].upper() + word[1:] if not abbreviate else word
    if rng.random() < 0.5:
        text = f"{word}, {', '.join(quals)}"
    else:
        text = f"{word} ({'; '.join(quals)})"
    return text[0].upper() + text[1:] if not (abbreviate and abbr) else text


def make_case(rng, index, desc, tags):
    enc = rng.choice(list(ENCOUNTERS))
    if "telehealth" in tags:
        enc = "telehealth"
    abbreviate = "abbreviations" in tags
    age, sex = rng.choice(AGES), rng.choice(["male", "female"])
    used = set()
    # --- primary
    if "rule-out" in tags:
        sym_name, suspected, groups = rng.choice(RULE_OUT)
        pkey = concept_by_name(sym_name)
        pquals = pick_quals(rng, pkey, groups)
        primary = index[(pkey, pquals)]
        confidence = "low"
        primary_line = f"{phrase(rng, pkey, pquals, False)} - rule out {suspected}; workup in progress"
    else:
        pkey = rng.choice(concepts())
        groups = concept(pkey)[3]
        if "unspecified" in tags:
            documented = set(rng.sample(groups, rng.randint(0, max(0, len(groups) - 1)))) if groups else set()
        else:
            documented = set(groups)
        pquals = pick_quals(rng, pkey, documented)
        primary = index[(pkey, pquals)]
        confidence = "high" if documented == set(groups) else "medium"
        primary_line = phrase(rng, pkey, pquals, abbreviate)
    used.add(pkey)
    # --- secondaries
    n_sec = rng.randint(3, 6) if "multi-morbidity" in tags else rng.randint(0, 2)
    secondary, sec_lines = [], []
    pool = [k for k in concepts() if k[0] != pkey[0]]
    for key in rng.sample(pool, n_sec):
        quals = pick_quals(rng, key, set(concept(key)[3]))
        secondary.append(index[(key, quals)])
        sec_lines.append(phrase(rng, key, quals, abbreviate))
        used.add(key)
    status_lines = []
    if "status-codes" in tags or rng.random() < 0.25:
        skey = rng.choice([k for k in concepts(exclude_chapters=()) if k[0] == "S"])
        quals = pick_quals(rng, skey, set(concept(skey)[3]))
        secondary.append(index[(skey, quals)])
        status_lines.append(phrase(rng, skey, quals, False))
    history_lines = []
    if "history" in tags:
        hkey = rng.choice([k for k in concepts() if k not in used])
        quals = pick_quals(rng, hkey, set(concept(hkey)[3][:1]))
        secondary.append(index[(hkey, ("history",) + quals)])
        history_lines.append(f"history of {phrase(rng, hkey, quals, False).lower()}, resolved, no current treatment")
        fkey = rng.choice([k for k in concepts() if k not in used and k != hkey])
        secondary.append(index[(fkey, ("family history",))])
        history_lines.append(f"family history: {rng.choice(['mother', 'father', 'brother', 'sister'])} "
                             f"with {concept(fkey)[1]}")
    # --- note text
    lines = [f"Encounter: {rng.choice(ENCOUNTERS[enc])}",
             f"Patient: {age}-year-old {sex}" if not abbreviate else f"Pt: {age}{sex[0].upper()}"]
    if "rule-out" in tags:
        cc = concept(pkey)[1]
    elif enc == "emergency":
        cc = rng.choice(["worsening symptoms", "new complaint", "acute deterioration"])
    else:
        cc = rng.choice(["follow-up", "worsening symptoms", "new complaint", "routine review"])
    lines.append(f"Chief complaint: {cc}" if not abbreviate else f"CC: {cc}")
    hpi = f"{'Pt' if abbreviate else 'Patient'} presents for {cc}. Symptoms over the past {rng.randint(2, 21)} days."
    if "negation" in tags:
        coded = {concept(k)[0] for k in used}
        negs = [text for text, ruled_out in NEGATIONS if ruled_out not in coded]
        hpi += " " + "; ".join(rng.sample(negs, 3)).capitalize() + "."
    if "long-note" in tags:
        hpi += (" Reports adherence to medication. Sleep and appetite unchanged. Lives with spouse, "
                "independent in activities of daily living. No recent travel. Reviewed prior notes and "
                "outside records, including last discharge letter and recent laboratory results. "
                "Social history: works as a teacher, drinks alcohol socially, no illicit drug use.")
    lines.append(("HPI: " if abbreviate else "History of present illness: ") + hpi)
    pmh = sec_lines + status_lines + history_lines
    lines.append(("PMH: " if abbreviate else "Past medical history: ") + ("; ".join(pmh) if pmh else "none significant"))
    lines.append(("O/E: " if abbreviate else "Examination: ") + rng.choice(FINDINGS))
    if "long-note" in tags:
        lines.append("Results: CBC within normal limits apart from mild leucocytosis; electrolytes normal; "
                     "creatinine stable compared with previous; ECG sinus rhythm without acute changes.")
    lines.append("Assessment and plan:" if not abbreviate else "A/P:")
    lines.append(f"1. {primary_line}" + ("" if "rule-out" in tags else f" - {rng.choice(PLANS)}"))
    for i, s in enumerate(sec_lines + status_lines, 2):
        lines.append(f"{i}. {s} - {rng.choice(['stable, continue', 'monitor', 'as per PMH, no change'])}")
    note = "\n".join(lines)
    # --- gold
    reason = {"high": "all qualifiers documented", "medium": "qualifiers not documented, less specific code",
              "low": "suspected diagnosis not coded; presenting symptom coded"}[confidence]
    rationale = f"Assessment item 1: {desc[primary]} ({reason})."
    if secondary:
        rationale += f" {len(secondary)} secondary code(s) from the assessment and history."
    if "negation" in tags:
        rationale += " Negated findings not coded."
    assert len(rationale) <= 400, rationale
    gold = {"primary_code": primary, "secondary_codes": secondary, "encounter_type": enc,
            "confidence": confidence, "rationale": rationale}
    return note, gold


PLAN = [
    (["core"], 24),
    (["core", "abbreviations"], 6),
    (["edge", "unspecified"], 8),
    (["edge", "rule-out"], 8),
    (["edge", "negation"], 6),
    (["core", "multi-morbidity"], 8),
    (["edge", "history"], 6),
    (["edge", "long-note", "multi-morbidity"], 4),
    (["core", "telehealth", "status-codes"], 4),
]


def generate(rng):
    rows, index = build_taxonomy()
    desc = {code: d for code, d, _, _ in rows}
    cases = []
    for tags, count in PLAN:
        for _ in range(count):
            note, gold = make_case(rng, index, desc, list(tags))
            cases.append({"id": f"med-{len(cases) + 1:03d}", "vars": {"note": note}, "expected": gold,
                          "tags": list(tags)})
    codes = ("# CX clinical taxonomy (SYNTHETIC, not ICD): every valid code, one a line.\n"
             "# Generated by scripts/gen_suites.py; descriptions are in catalog.tsv.\n"
             + "".join(code + "\n" for code, _, _, _ in rows))
    catalog = "code\tdescription\n" + "".join(f"{code}\t{d}\n" for code, d, _, _ in rows)
    return {"cases.jsonl": cases, "codes.txt": codes, "catalog.tsv": catalog}
