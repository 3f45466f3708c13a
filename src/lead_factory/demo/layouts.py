"""How each source writes its files: form ids and UTM values, and the look of every upload file.

Upload files each have their own header spelling (aliases from ``lead_factory.landing.kinds``), column
order, delimiter, date format and consent vocabulary, as real event and vendor lists do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lead_factory.demo.mess import Style

FORMS = (
    ("contact-sales", "/contact-sales"),
    ("demo-request", "/demo"),
    ("demo-request", "/product/tour"),
    ("ebook-download", "/resources/ebook/data-quality-playbook"),
    ("webinar-signup", "/webinars/pipeline-hygiene"),
)
# (utm_source, utm_medium, campaigns); empty = direct traffic. Casing noise is part of the data.
UTM = (
    ("google", "cpc", ("brand_q4", "generic_data_quality", "competitor")),
    ("google", "cpc", ("brand_q4", "retargeting")),
    ("linkedin", "paid_social", ("abm_enterprise", "webinar_promo")),
    ("newsletter", "email", ("monthly_digest", "product_update")),
    ("", "", ("",)),
    ("", "", ("",)),
    ("google", "organic", ("",)),
    ("facebook", "paid_social", ("retargeting",)),
    ("bing", "cpc", ("brand_q4",)),
    ("partner", "referral", ("partner_portal",)),
    ("g2", "review", ("",)),
    ("Google", "CPC", ("Brand_Q4",)),
    ("LinkedIn", "Paid_Social", ("ABM_Enterprise",)),
)
FORM_STYLE = Style(country_alias=0.25, phone_e164=0.35)
CRM_STYLE = Style(country_alias=0.7, phone_e164=0.2, phone_styles=("international", "national", "dashed"))
LEAD_SOURCE_WEIGHTS = (30, 10, 10, 12, 15, 8, 5)
LEAD_STATUS_WEIGHTS = (40, 35, 25)
EXTRA_VALUES = {
    "Badge Type": ("Attendee", "Attendee", "Attendee", "Speaker", "Sponsor", "Press"),
    "Dietary Requirements": ("", "", "", "Vegetarian", "Vegan", "Gluten-free", "None", "Halal, no nuts"),
    "Webinar Question": (  # free text: commas, quotes and, rarely, a line break inside the value
        *([""] * 9),
        "How does this work with Salesforce?",
        'Is there a "free" tier?',
        "Pricing for 50 seats, EU hosting?",
        "Two questions:\n1) SSO?\n2) Data residency in the EU?",
    ),
}


@dataclass(frozen=True)
class UploadFile:
    """How one upload file looks. ``columns``: (logical field or ``extra:<header>``, header as written)."""

    folder: str
    name: str
    columns: tuple[tuple[str, str], ...]
    delimiter: str = ","
    bom: bool = False
    lineterminator: str = "\r\n"
    date_format: str = "%Y-%m-%d"
    consent: tuple[str, str] = ("yes", "no")
    style: Style = field(default_factory=Style)


UPLOAD_FILES: tuple[UploadFile, ...] = (
    UploadFile(
        "events",
        "booth_scans_saas_summit",
        (
            ("first_name", "First Name"),
            ("last_name", "Last Name"),
            ("email", "Email Address"),
            ("company", "Company"),
            ("job_title", "Job Title"),
            ("phone", "Phone Number"),
            ("country", "Country/Region"),
            ("city", "City"),
            ("registered_at", "Registration Date"),
            ("consent", "Opt-in"),
            ("extra:Badge Type", "Badge Type"),
        ),
        date_format="%m/%d/%Y",
        consent=("Yes", "No"),
        style=Style(country_alias=0.9, phone_e164=0.2),
    ),
    UploadFile(  # a European Excel export: semicolons, German-style dates
        "events",
        "roadshow_emea",
        (
            ("last_name", "LASTNAME"),
            ("first_name", "FIRSTNAME"),
            ("email", "E-mail"),
            ("company", "Organisation"),
            ("job_title", "Position"),
            ("phone", "Telephone"),
            ("city", "Town"),
            ("country", "Country"),
            ("registered_at", "Signup Date"),
            ("consent", "Marketing Consent"),
        ),
        delimiter=";",
        date_format="%d.%m.%Y %H:%M",
        consent=("1", "0"),
        style=Style(country_alias=1.0, phone_e164=0.1, phone_styles=("national", "double_zero")),
    ),
    UploadFile(  # saved with a UTF-8 byte-order mark
        "events",
        "webinar_registrants",
        (
            ("email", "mail"),
            ("first_name", "fname"),
            ("last_name", "lname"),
            ("company", "Employer"),
            ("job_title", "Role"),
            ("phone", "Mobile"),
            ("country", "Nation"),
            ("registered_at", "Registered"),
            ("consent", "Consent"),
            ("extra:Webinar Question", "Webinar Question"),
        ),
        bom=True,
        lineterminator="\n",
        date_format="%Y-%m-%d %H:%M:%S",
        consent=("TRUE", "FALSE"),
        style=Style(country_alias=0.3, phone_e164=0.6),
    ),
    UploadFile(  # no phone column; an unexpected "Dietary Requirements" column
        "events",
        "customer_summit_attendees",
        (
            ("first_name", "Given Name"),
            ("last_name", "Surname"),
            ("email", "Work Email"),
            ("company", "Account Name"),
            ("job_title", "Title"),
            ("country", "Country Name"),
            ("city", "City"),
            ("registered_at", "Signup Date"),
            ("consent", "Opt In"),
            ("extra:Dietary Requirements", "Dietary Requirements"),
        ),
        date_format="%d/%m/%Y",
        consent=("Y", "N"),
        style=Style(country_alias=1.0),
    ),
    UploadFile(  # a minimal sheet: no phone, title, city or consent
        "events",
        "partner_meetup",
        (
            ("first_name", "first_name"),
            ("last_name", "last_name"),
            ("email", "email"),
            ("company", "company"),
            ("country", "country"),
            ("registered_at", "registered_at"),
        ),
        lineterminator="\n",
        style=Style(country_alias=0.1),
    ),
    UploadFile(  # a purchased list has no consent column
        "purchased_lists",
        "datavendor_export",
        (
            ("first_name", "First Name"),
            ("last_name", "Last Name"),
            ("email", "Email"),
            ("company", "Company Name"),
            ("job_title", "Title"),
            ("phone", "Business Phone"),
            ("street", "Address"),
            ("city", "City"),
            ("state", "State/Province"),
            ("postal_code", "Zip Code"),
            ("country", "Country"),
            ("website", "Company Website"),
            ("registered_at", "Date Added"),
        ),
        style=Style(country_alias=0.5, phone_e164=0.5),
    ),
    UploadFile(
        "purchased_lists",
        "intent_data_list",
        (
            ("company", "Organization"),
            ("website", "URL"),
            ("first_name", "FirstName"),
            ("last_name", "LastName"),
            ("job_title", "Job Title"),
            ("email", "Email Address"),
            ("phone", "Tel"),
            ("city", "Town"),
            ("country", "Country/Region"),
            ("registered_at", "Created"),
            ("consent", "Consent"),
        ),
        date_format="%Y-%m-%dT%H:%M:%SZ",
        consent=("true", "false"),
        style=Style(country_alias=0.6, phone_e164=0.1, phone_styles=("national", "dashed")),
    ),
    UploadFile(
        "purchased_lists",
        "list_broker_global",
        (
            ("first_name", "first_name"),
            ("last_name", "last_name"),
            ("email", "email"),
            ("company", "company"),
            ("job_title", "job_title"),
            ("phone", "phone"),
            ("country", "country"),
            ("street", "street"),
            ("city", "city"),
            ("postal_code", "postcode"),
            ("website", "website"),
            ("registered_at", "registered_at"),
            ("consent", "consent"),
        ),
        lineterminator="\n",
        date_format="%d/%m/%Y",
        consent=("Y", "N"),
        style=Style(country_alias=0.2, phone_e164=0.7),
    ),
)
