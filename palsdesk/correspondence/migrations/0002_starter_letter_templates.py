"""The starter set of letters a complaints team sends, for administrators to adapt to the trust's own words.

Each uses only the merge fields of correspondence.merge; `[[ ... ]]` marks what the officer writes for each
case, and a letter is not produced while one remains. The texts are kept here, as they were first shipped, so
that the migration reads the same whatever later becomes of the templates.
"""

from django.db import migrations

SIGN_OFF = """Yours sincerely,

{{ officer.name }}
{{ trust.team_name }}
Telephone: {{ trust.phone }}
Email: {{ trust.email }}"""

STARTER_TEMPLATES = [
    {
        "code": "acknowledgement",
        "name": "Acknowledgement with the offer to discuss",
        "description": "Regulation 13: acknowledge a complaint within 3 working days and offer to discuss it.",
        "recipient": "complainant",
        "subject": "Your complaint: our reference {{ case.reference }}",
        "body": """Dear {{ recipient.salutation }},

Thank you for contacting us. We received your complaint on {{ case.received_on }} and we are sorry that you have had reason to complain. Your reference is **{{ case.reference }}**: please quote it whenever you contact us.

## Talking about your complaint

We would like to talk with you about how we will look into your complaint and how long this is likely to take. {{ officer.name }} is looking after your complaint and will contact you to arrange a time that suits you. If you would rather contact us first, please telephone {{ trust.phone }} or email {{ trust.email }}.

Unless we agree a different date with you, we aim to send you our full written response by **{{ case.response_due_on }}**. If we need longer, we will tell you why and agree a new date with you.

## How we handle complaints

{{ complaints_procedure }}

## Help with your complaint

You can get free, independent help with your complaint from {{ advocacy.name }} on {{ advocacy.phone }}.

Making a complaint will not affect the care you or your family receive.

"""
        + SIGN_OFF,
    },
    {
        "code": "consent-request",
        "name": "Consent request to the patient",
        "description": "Regulation 5: ask the patient's consent for someone else to complain for them.",
        "recipient": "patient",
        "subject": "Your consent for {{ complainant.name }} to complain for you",
        "body": """Dear {{ recipient.salutation }},

We have received a complaint from {{ complainant.name }} about care you received from {{ trust.name }}. Our reference is {{ case.reference }}.

To look into the complaint and share what we find with {{ complainant.name }}, we need your permission, because the complaint is about your personal and health information. Your information will be kept confidential and used only to respond to the complaint.

If you agree, please sign the form below and return it to us, or contact us on {{ trust.phone }} or at {{ trust.email }}. If you would rather we did not share your information, please tell us: we will still look into the concerns raised, but we will not share details of your care with {{ complainant.name }}.

"""
        + SIGN_OFF
        + """

## Consent form

| Your name | {{ patient.name }} |
| Complaint reference | {{ case.reference }} |
| Complaint made by | {{ complainant.name }} |

I agree that {{ trust.name }} may share information about my care with {{ complainant.name }} to respond to this complaint.

Signed: ____________________________

Date: ____________________________""",
    },
    {
        "code": "holding-extension",
        "name": "Holding letter: extension of the response date",
        "description": "Keep the complainant informed (regulation 14) and confirm the new response date agreed.",
        "recipient": "complainant",
        "subject": "Your complaint {{ case.reference }}: an update",
        "body": """Dear {{ recipient.salutation }},

I am writing to update you on your complaint, which we received on {{ case.received_on }}.

We are still looking into the concerns you raised, and I am sorry that we need more time to give you a full and accurate response. [[ Explain why more time is needed, for example statements still awaited from the staff involved. ]]

As we discussed, we now expect to send you our response by **{{ case.response_due_on }}**. If anything changes, we will contact you straight away.

If you would like to talk about your complaint in the meantime, please contact me.

"""
        + SIGN_OFF,
    },
    {
        "code": "delay-six-months",
        "name": "Delay letter: no response within 6 months",
        "description": "Regulation 14: explain why the response was not sent within 6 months of the complaint.",
        "recipient": "complainant",
        "subject": "Your complaint {{ case.reference }}: why our response is delayed",
        "body": """Dear {{ recipient.salutation }},

We received your complaint on {{ case.received_on }}. The NHS complaints regulations ask us to write to you if we have not sent you our response within six months, which ended on {{ case.long_stop_on }}. I am very sorry that we have not yet been able to do so.

## Why our response is delayed

[[ Explain honestly why the response has not been sent. ]]

## What happens next

We will send you our response as soon as we reasonably can, and we now expect to send it by {{ case.response_due_on }}.

You can get free, independent help with your complaint from {{ advocacy.name }} on {{ advocacy.phone }}. You can also ask the {{ ombudsman.name }} to look at the delay: telephone {{ ombudsman.phone }} or visit {{ ombudsman.website }}.

"""
        + SIGN_OFF,
    },
    {
        "code": "exclusion-decision",
        "name": "Exclusion decision",
        "description": "Regulation 8(2): tell the complainant in writing that the complaint is excluded, and why.",
        "recipient": "complainant",
        "subject": "Your complaint {{ case.reference }}: our decision",
        "body": """Dear {{ recipient.salutation }},

Thank you for your letter, which we received on {{ case.received_on }}.

I am sorry to tell you that we are not able to look into your concerns under the NHS complaints procedure. The regulations that set out the procedure say that some matters are not dealt with under it (regulation 8 of the Local Authority Social Services and National Health Service Complaints (England) Regulations 2009).

## Our reason

[[ Give the reason under regulation 8(1), for example that the same matter has already been investigated under the complaints procedure, and where the complainant can take it instead. ]]

## If you disagree

If you disagree with our decision, please contact us on {{ trust.phone }} or at {{ trust.email }}. You can also ask the {{ ombudsman.name }} to consider it: telephone {{ ombudsman.phone }} or visit {{ ombudsman.website }}.

"""
        + SIGN_OFF,
    },
    {
        "code": "pals-outcome",
        "name": "PALS outcome letter",
        "description": "Confirm in writing what PALS found and did, and how to make a formal complaint.",
        "recipient": "main_contact",
        "subject": "Your contact with PALS: reference {{ case.reference }}",
        "body": """Dear {{ recipient.salutation }},

Thank you for contacting the Patient Advice and Liaison Service (PALS) on {{ case.received_on }}.

## What you told us

[[ Summarise the concern in the person's own terms. ]]

## What we have done

[[ Say what PALS found out and what has been done as a result. ]]

I hope this resolves your concerns. If you are not satisfied, you can make a formal complaint: contact {{ trust.team_name }} on {{ trust.phone }} or at {{ trust.email }}, quoting {{ case.reference }}. You can get free, independent help to make a complaint from {{ advocacy.name }} on {{ advocacy.phone }}.

"""
        + SIGN_OFF,
    },
    {
        "code": "final-response",
        "name": "Final response",
        "description": "Regulation 14: the written response, signed by the responsible person, with the right to go to the PHSO.",
        "recipient": "complainant",
        "subject": "Your complaint {{ case.reference }}: our response",
        "body": """Dear {{ recipient.salutation }},

Thank you for your complaint, which we received on {{ case.received_on }}. I am sorry for the distress that led you to complain, and I am grateful to you for raising your concerns with us.

## How we looked into your complaint

[[ Explain how the complaint was considered: who investigated, what was reviewed and who was spoken to. ]]

## What we found

[[ Set out the conclusions on each of the concerns raised, and where something went wrong, say so and apologise. ]]

## What we have done and will do

[[ Say what action has been taken or is proposed, and whether the trust is satisfied that it is enough. ]]

## If you are not satisfied

If you would like to discuss this response, please contact {{ officer.name }} on {{ trust.phone }} or at {{ trust.email }}.

If you remain dissatisfied, you have the right to ask the {{ ombudsman.name }} to look into your complaint. The Ombudsman is independent of the NHS and makes final decisions on complaints that have not been resolved locally. You can telephone {{ ombudsman.phone }}, visit {{ ombudsman.website }}, or write to:

{{ ombudsman.name }}
{{ ombudsman.address }}

You can get free, independent help from {{ advocacy.name }} on {{ advocacy.phone }}.

Yours sincerely,

{{ signatory.name }}
{{ signatory.job_title }}
{{ trust.name }}""",
    },
]


def add_starter_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    for values in STARTER_TEMPLATES:
        LetterTemplate.objects.get_or_create(code=values["code"], defaults=values)


def remove_starter_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    LetterTemplate.objects.filter(
        code__in=[values["code"] for values in STARTER_TEMPLATES], letters__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_communications_log_and_letters")]

    operations = [migrations.RunPython(add_starter_templates, remove_starter_templates)]
