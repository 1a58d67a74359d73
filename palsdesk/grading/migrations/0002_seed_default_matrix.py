"""Seed the default grading scheme: the NPSA 5×5 consequence × likelihood matrix, current until a trust changes it.

The descriptors are the complaints domain's as docs/domain.md §5.1 recalls them, unconfirmed [U] against
the NPSA document (docs/decisions/0010); an administrator can correct them in the admin. The targets and
sign-off levels are typical trust practice (§5.2), also local policy.
"""

from django.db import migrations

SCHEME = "NPSA risk matrix (consequence × likelihood)"
SOURCE = (
    "National Patient Safety Agency, 'A risk matrix for risk managers' (January 2008), "
    "https://studylib.net/doc/26079562/0676-risk-matrix-for-risk-managers-v9 . Consequence descriptors for the "
    "quality, complaints and audit domain, and likelihood descriptors: unconfirmed [U], from docs/domain.md §5.1. "
    "Bands: 1–3 low confirmed in an NHS risk scoring matrix [P]; the others from the NPSA model [U]."
)
CONSEQUENCES = [
    (1, "Negligible", "Peripheral element of treatment or service suboptimal. Informal complaint or enquiry."),
    (
        2,
        "Minor",
        "Overall treatment or service suboptimal. Formal complaint, local resolution. "
        "Single failure to meet internal standards.",
    ),
    (
        3,
        "Moderate",
        "Treatment or service has significantly reduced effectiveness. Formal complaint with potential to go to "
        "independent review. Repeated failure to meet internal standards.",
    ),
    (
        4,
        "Major",
        "Non-compliance with national standards with significant risk to patients if unresolved. "
        "Multiple complaints or independent review. Critical report.",
    ),
    (
        5,
        "Catastrophic",
        "Totally unacceptable level or quality of treatment or service. Inquest or ombudsman inquiry. "
        "Gross failure to meet national standards.",
    ),
]
LIKELIHOODS = [
    (1, "Rare", "Not expected to happen or recur for years."),
    (2, "Unlikely", "Not expected to happen or recur, but possible: at least once a year."),
    (3, "Possible", "Might happen or recur occasionally: at least once a month."),
    (4, "Likely", "Will probably happen or recur, but is not a persisting issue: at least once a week."),
    (5, "Almost certain", "Will undoubtedly happen or recur, possibly frequently: at least daily."),
]
# code, name, NHS.UK tag colour, lowest and highest score, response target in working days, who signs the response
GRADES = [
    ("low", "Low", "green", 1, 3, 25, "coordinator"),
    ("moderate", "Moderate", "yellow", 4, 6, 40, "director"),
    ("high", "High", "orange", 8, 12, 60, "executive"),
    ("extreme", "Extreme", "red", 15, 25, 60, "chief_executive"),
]


def seed(apps, schema_editor):
    GradingScheme = apps.get_model("grading", "GradingScheme")
    if GradingScheme.objects.exists():
        return
    scheme = GradingScheme.objects.create(name=SCHEME, kind="matrix", is_current=True, source=SOURCE)
    ConsequenceLevel = apps.get_model("grading", "ConsequenceLevel")
    LikelihoodLevel = apps.get_model("grading", "LikelihoodLevel")
    Grade = apps.get_model("grading", "Grade")
    ConsequenceLevel.objects.bulk_create(
        ConsequenceLevel(scheme=scheme, level=level, name=name, descriptor=descriptor)
        for level, name, descriptor in CONSEQUENCES
    )
    LikelihoodLevel.objects.bulk_create(
        LikelihoodLevel(scheme=scheme, level=level, name=name, descriptor=descriptor)
        for level, name, descriptor in LIKELIHOODS
    )
    Grade.objects.bulk_create(
        Grade(
            scheme=scheme,
            code=code,
            name=name,
            colour=colour,
            order=order,
            min_score=lowest,
            max_score=highest,
            response_working_days=working_days,
            sign_off_level=sign_off,
        )
        for order, (code, name, colour, lowest, highest, working_days, sign_off) in enumerate(GRADES, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
