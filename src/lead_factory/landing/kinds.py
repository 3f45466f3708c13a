"""The kinds of landing file the factory accepts: where each lives, its format and its columns.

This module is the single declaration of the landing contract. The demo generator writes files
that follow it, the loader reads files with it, and the README's "land your own files" section
describes it. A file's kind is decided by its path relative to the landing root.

Header matching is forgiving, as a CRM import wizard's is: a file header matches a column when
both are equal after lower-casing and dropping everything but letters and digits, either to the
column's own name or to one of its aliases ("E-mail Address" matches ``email``). Headers that
match no column are kept, with their values, in the row's ``_lf_extra`` JSON column; expected
columns a file lacks are null. Both are recorded per file in ``raw.landed_file_columns``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Column:
    """One expected column of a landing kind."""

    name: str
    description: str
    aliases: tuple[str, ...] = ()
    data_type: str = "varchar"
    """The column's type in the raw schema (a kind's own columns are always text)."""
    pii: str = "none"
    """Its personal-data class (PII_CLASSES): what an erasure removes and what it keeps."""

    def __post_init__(self) -> None:
        if self.pii not in PII_CLASSES:
            raise ValueError(
                f"column {self.name}: unknown PII class {self.pii!r} (known: {', '.join(PII_CLASSES)})"
            )


PII_CLASSES: dict[str, str] = {
    "none": "Not about a person, or only about a company or the factory's own work: kept.",
    "identifier": (
        "A system's key for a person's record (a Salesforce id, a submission id, a record id): it says "
        "nothing about the person, and an erasure keeps it in the tombstone so the row still counts "
        "and a re-import of the record is recognised."
    ),
    "contact": (
        "Who the person is and how to reach them (name, email address, phone, job title, city, the "
        "company as they gave it): removed by an erasure."
    ),
    "sensitive": (
        "Free text that may hold anything about the person (a note, a reason, unexpected columns, a "
        "rejected row's text): removed by an erasure."
    ),
}
"""The personal-data classes of a column, and what an erasure does with each."""

ERASED_CLASSES = ("contact", "sensitive")
"""The classes whose values an erasure removes."""


@dataclass(frozen=True)
class Kind:
    """One kind of landing file."""

    name: str
    raw_table: str
    pattern: str
    file_format: str  # "csv" or "jsonl"
    description: str
    columns: tuple[Column, ...]
    owner_team: str
    """The team that owns the files of this kind and fixes what cannot be loaded from them."""
    key_column: str | None = None
    """A row whose key column is empty is rejected; a file without the column is refused."""
    required_columns: tuple[str, ...] = field(default=())

    def matches(self, relative_path: str) -> bool:
        """Whether a POSIX path relative to the landing root is of this kind (``*`` stays in one folder)."""
        parts = PurePosixPath(relative_path).parts
        pattern = PurePosixPath(self.pattern).parts
        return len(parts) == len(pattern) and all(
            fnmatch.fnmatchcase(part, pat) for part, pat in zip(parts, pattern, strict=True)
        )

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def header_key(header: str) -> str:
    """The form in which headers and column names are compared: lower-case letters and digits."""
    return re.sub(r"[^0-9a-z]+", "", header.strip().lower())


@dataclass(frozen=True)
class Table:
    """One of the loader's own bookkeeping tables in the raw schema."""

    description: str
    columns: tuple[Column, ...]
    primary_key: str | None = None


# Metadata columns the loader adds to every raw table, after the kind's own columns.
METADATA_COLUMNS: tuple[Column, ...] = (
    Column("_lf_batch_id", "Landing batch that loaded the row (one run of the landing script)."),
    Column("_lf_file_path", "Path of the landed file, relative to the landing root."),
    Column("_lf_file_sha256", "SHA-256 of the landed file's bytes; a file is loaded once."),
    Column(
        "_lf_line_number",
        "Line of the file on which the row starts (CSV header is line 1).",
        data_type="bigint",
    ),
    Column("_lf_loaded_at", "When the row was loaded (UTC).", data_type="timestamptz"),
    Column(
        "_lf_extra",
        "JSON object of the file's unexpected columns and their values.",
        data_type="json",
        pii="sensitive",
    ),
    Column(
        "_lf_erased_at",
        "When the row's personal data were erased (an erasure request of the person): the row is then a "
        "tombstone that keeps its key, batch, file and line. Null for a row that was not erased.",
        data_type="timestamptz",
    ),
    Column("_lf_erasure_id", "The erasure that erased the row (raw.erasures); null when not erased."),
)

_SF_SYSTEM = (
    Column("OwnerId", "Salesforce user id of the record owner."),
    Column("CreatedDate", "When the record was created in Salesforce (ISO 8601 with offset)."),
    Column("LastModifiedDate", "When the record was last modified in Salesforce."),
    Column("IsDeleted", "Salesforce soft-delete flag (true/false)."),
)

STREET_ALIASES = ("Street", "Address", "Street Address", "Address 1", "Address Line 1", "Mailing Street")
STATE_ALIASES = ("State/Province", "Province", "Region", "State Code")
POSTAL_CODE_ALIASES = ("Zip", "ZIP Code", "Zip Code", "Postcode", "Post Code", "Postal Code", "PLZ")

_PERSON_UPLOAD_COLUMNS = (
    Column(
        "first_name",
        "Given name.",
        ("First Name", "FirstName", "fname", "Given Name", "first"),
        pii="contact",
    ),
    Column(
        "last_name",
        "Family name.",
        ("Last Name", "LastName", "lname", "Surname", "Family Name"),
        pii="contact",
    ),
    Column(
        "email",
        "Email address.",
        ("E-mail", "Email Address", "E-mail Address", "Work Email", "mail"),
        pii="contact",
    ),
    Column(
        "company",
        "Company name as typed.",
        ("Company Name", "Organization", "Organisation", "Account Name", "Employer"),
        pii="contact",
    ),
    Column("job_title", "Job title.", ("Title", "Job Title", "Position", "Role"), pii="contact"),
    Column(
        "phone",
        "Phone number as typed.",
        ("Phone Number", "Telephone", "Tel", "Mobile", "Business Phone"),
        pii="contact",
    ),
    Column(
        "country", "Country as typed (name, code or alias).", ("Country/Region", "Country Name", "Nation")
    ),
    Column(
        "street",
        "Street address as typed.",
        STREET_ALIASES,
        pii="contact",
    ),
    Column("city", "City as typed.", ("Town", "Suburb", "Locality"), pii="contact"),
    Column("state", "State, province or region as typed.", STATE_ALIASES),
    Column("postal_code", "Postal or ZIP code as typed.", POSTAL_CODE_ALIASES, pii="contact"),
    Column("website", "Company website or domain.", ("Company Website", "URL", "Web Site", "Domain")),
    Column(
        "registered_at",
        "When the person registered or was added to the list.",
        ("Registration Date", "Registered", "Date Added", "Created", "Signup Date"),
    ),
    Column(
        "consent", "Marketing consent given (yes/no).", ("Opt In", "Opt-in", "Consent", "Marketing Consent")
    ),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        name="crm_accounts",
        owner_team="sales_ops",
        raw_table="crm_accounts",
        pattern="crm/accounts/*.csv",
        file_format="csv",
        description="Salesforce Account export, as an EL tool lands it (Salesforce field names).",
        key_column="Id",
        columns=(
            Column("Id", "Salesforce Account id (18 characters)."),
            Column("Name", "Account name."),
            Column("Website", "Company website."),
            Column("Industry", "Industry picklist value."),
            Column("NumberOfEmployees", "Employee count."),
            Column("AnnualRevenue", "Annual revenue in USD."),
            Column("BillingCity", "Billing city."),
            Column("BillingCountry", "Billing country as typed."),
            Column("Phone", "Main phone number."),
            Column("Type", "Account type (Customer, Prospect, Partner ...)."),
            *_SF_SYSTEM,
        ),
    ),
    Kind(
        name="crm_contacts",
        owner_team="sales_ops",
        raw_table="crm_contacts",
        pattern="crm/contacts/*.csv",
        file_format="csv",
        description="Salesforce Contact export, as an EL tool lands it.",
        key_column="Id",
        columns=(
            Column("Id", "Salesforce Contact id.", pii="identifier"),
            Column("AccountId", "Salesforce Account id the contact belongs to."),
            Column("FirstName", "Given name.", pii="contact"),
            Column("LastName", "Family name.", pii="contact"),
            Column("Email", "Email address.", pii="contact"),
            Column("Phone", "Phone number.", pii="contact"),
            Column("Title", "Job title.", pii="contact"),
            Column("MailingStreet", "Mailing street address.", pii="contact"),
            Column("MailingCity", "Mailing city.", pii="contact"),
            Column("MailingState", "Mailing state or province."),
            Column("MailingPostalCode", "Mailing postal code.", pii="contact"),
            Column("MailingCountry", "Mailing country as typed."),
            Column("LeadSource", "Salesforce lead source picklist value."),
            Column("HasOptedOutOfEmail", "Email opt-out flag (true/false)."),
            *_SF_SYSTEM,
        ),
    ),
    Kind(
        name="crm_leads",
        owner_team="sales_ops",
        raw_table="crm_leads",
        pattern="crm/leads/*.csv",
        file_format="csv",
        description="Salesforce Lead export: leads typed into the CRM by sales reps.",
        key_column="Id",
        columns=(
            Column("Id", "Salesforce Lead id.", pii="identifier"),
            Column("FirstName", "Given name.", pii="contact"),
            Column("LastName", "Family name.", pii="contact"),
            Column("Email", "Email address.", pii="contact"),
            Column("Phone", "Phone number.", pii="contact"),
            Column("Company", "Company name as typed.", pii="contact"),
            Column("Title", "Job title.", pii="contact"),
            Column("Website", "Company website."),
            Column("Street", "Street address.", pii="contact"),
            Column("City", "City.", pii="contact"),
            Column("State", "State or province."),
            Column("PostalCode", "Postal code.", pii="contact"),
            Column("Country", "Country as typed."),
            Column("LeadSource", "Salesforce lead source picklist value."),
            Column("Status", "Lead status picklist value."),
            Column("IsConverted", "Whether the lead was converted (true/false)."),
            Column("ConvertedAccountId", "Account the lead was converted into."),
            Column("ConvertedContactId", "Contact the lead was converted into.", pii="identifier"),
            Column("HasOptedOutOfEmail", "Email opt-out flag (true/false)."),
            *_SF_SYSTEM,
        ),
    ),
    Kind(
        name="form_submissions",
        owner_team="marketing_ops",
        raw_table="form_submissions",
        pattern="forms/*.jsonl",
        file_format="jsonl",
        description="Landing-page form submissions, one JSON object per line.",
        key_column="submission_id",
        columns=(
            Column("submission_id", "Unique id of the submission.", pii="identifier"),
            Column("form_id", "Id of the form."),
            Column("page_url", "URL of the landing page the form was on.", pii="sensitive"),
            Column("utm_source", "UTM source of the visit."),
            Column("utm_medium", "UTM medium of the visit."),
            Column("utm_campaign", "UTM campaign of the visit."),
            Column("first_name", "Given name.", pii="contact"),
            Column("last_name", "Family name.", pii="contact"),
            Column("email", "Email address.", pii="contact"),
            Column("company", "Company name as typed.", pii="contact"),
            Column("job_title", "Job title.", pii="contact"),
            Column("phone", "Phone number as typed.", pii="contact"),
            Column("country", "Country as typed or picked."),
            Column("street", "Street address, when the form asks for it.", STREET_ALIASES, pii="contact"),
            Column("city", "City, when the form asks for it.", ("Town",), pii="contact"),
            Column("state", "State, province or region, when the form asks for it.", STATE_ALIASES),
            Column(
                "postal_code",
                "Postal or ZIP code, when the form asks for it.",
                POSTAL_CODE_ALIASES,
                pii="contact",
            ),
            Column("consent", "Marketing consent checkbox (true/false)."),
            Column("submitted_at", "When the form was submitted (ISO 8601 with offset)."),
        ),
    ),
    Kind(
        name="uploads",
        owner_team="marketing_ops",
        raw_table="uploads",
        pattern="uploads/*/*.csv",
        file_format="csv",
        description=(
            "Event attendee and purchased-list uploads. The folder under uploads/ names the list "
            "type (events, purchased_lists, ...); each file has its own headers, matched by alias."
        ),
        columns=_PERSON_UPLOAD_COLUMNS,
    ),
    Kind(
        name="firmographics",
        owner_team="data_ops",
        raw_table="firmographics",
        pattern="directory/*.csv",
        file_format="csv",
        description="Firmographic directory: one company per web domain, for enrichment.",
        key_column="domain",
        columns=(
            Column("domain", "Company web domain.", ("Website", "Company Domain")),
            Column("company_name", "Company name.", ("Company", "Name")),
            Column("industry", "Industry."),
            Column("employee_count", "Number of employees.", ("Employees",)),
            Column("annual_revenue", "Annual revenue in USD.", ("Revenue",)),
            Column("country", "Headquarters country (ISO 3166 alpha-2).", ("HQ Country",)),
            Column("city", "Headquarters city.", ("HQ City",)),
        ),
    ),
    Kind(
        name="match_decisions",
        owner_team="data_ops",
        raw_table="match_decisions",
        pattern="reviews/*.csv",
        file_format="csv",
        description=(
            "Reviewers' decisions on matches: two records are, or are not, the same person; or the "
            "account a lead belongs to. A decision overrides the matching model and is kept as a label."
        ),
        key_column="decision_id",
        columns=(
            Column("decision_id", "Unique id of the decision.", pii="identifier"),
            Column("decision", "same_person, different_person or lead_account."),
            Column(
                "record_id", "The record decided on (a record_id as the factory shows it).", pii="identifier"
            ),
            Column(
                "other_record_id", "For same_person and different_person: the other record.", pii="identifier"
            ),
            Column("account_id", "For lead_account: the lead's Salesforce account id (empty: no account)."),
            Column("decided_by", "Who decided."),
            Column("decided_at", "When it was decided (ISO 8601)."),
            Column("note", "Why.", pii="sensitive"),
        ),
    ),
    Kind(
        name="gold_labels",
        owner_team="data_ops",
        raw_table="gold_labels",
        pattern="labels/*.csv",
        file_format="csv",
        description=(
            "A gold standard: which person and which account records truly belong to (a labelled "
            "sample, or the demo's planted truth). Used only to measure matching accuracy; it never "
            "changes a match."
        ),
        key_column="record_id",
        columns=(
            Column("record_id", "The record (a record_id as the factory shows it).", pii="identifier"),
            Column("true_person_id", "Any id shared by the records of one true person.", pii="identifier"),
            Column("true_account_id", "The Salesforce account the record truly belongs to (empty: none)."),
        ),
    ),
    Kind(
        name="steward_fixes",
        owner_team="data_ops",
        raw_table="steward_fixes",
        pattern="fixes/*.csv",
        file_format="csv",
        description=(
            "Data stewards' corrections: a field of a record set to a corrected value, or an earlier "
            "correction withdrawn (revert) so the source value applies again. A steward corrects a "
            "record without editing SQL; the fixes are validated when they are applied."
        ),
        key_column="fix_id",
        columns=(
            Column("fix_id", "Unique id of the fix.", pii="identifier"),
            Column(
                "record_id", "The record corrected (a record_id as the factory shows it).", pii="identifier"
            ),
            Column(
                "field",
                "The field corrected: first_name, last_name, email, phone, company_name, job_title, "
                "country, city or has_marketing_consent.",
                ("Field Name",),
            ),
            Column(
                "new_value",
                "The corrected value; empty for a revert.",
                ("Value", "Corrected Value", "Fix"),
                pii="sensitive",
            ),
            Column(
                "action",
                "set (the default when empty) or revert (withdraws the steward's value for the record "
                "and field, so the source value applies again).",
            ),
            Column("fixed_by", "Who made the fix.", ("Steward",)),
            Column("fixed_at", "When the fix was made (ISO 8601).", ("Fixed", "Timestamp")),
            Column("reason", "Why.", ("Note", "Comment"), pii="sensitive"),
        ),
    ),
    Kind(
        name="contact_events",
        owner_team="marketing_ops",
        raw_table="contact_events",
        pattern="events/*.csv",
        file_format="csv",
        description=(
            "Events about an email address reported by other systems: hard bounces and unsubscribes "
            "from the email service provider, erasure requests from the privacy request portal."
        ),
        key_column="event_id",
        columns=(
            Column("event_id", "Unique id of the event.", pii="identifier"),
            Column(
                "email",
                "The email address the event is about.",
                ("E-mail", "Email Address", "E-mail Address", "Recipient", "Address"),
                pii="contact",
            ),
            Column("event_type", "hard_bounce, unsubscribe or erasure_request.", ("Event", "Type")),
            Column(
                "occurred_at",
                "When it happened (ISO 8601).",
                ("Timestamp", "Occurred", "Event Time", "Event Date", "Date"),
            ),
            Column(
                "source",
                "The system that reported it (the email service provider, the privacy request portal ...).",
                ("Source System", "Reported By", "System"),
            ),
            Column(
                "note",
                "Free text from the reporting system.",
                ("Notes", "Comment", "Details", "Reason"),
                pii="sensitive",
            ),
        ),
    ),
)

KINDS_BY_NAME = {k.name: k for k in KINDS}


def kind_for_path(relative_path: str) -> Kind | None:
    """The kind of the file at ``relative_path`` (POSIX, relative to the landing root), if any."""
    path = str(PurePosixPath(relative_path))
    for kind in KINDS:
        if kind.matches(path):
            return kind
    return None


_STATUSES = (
    "loaded (its rows are in the kind's raw table or in landing_rejects), empty (a header or blank "
    "lines only), or rejected (the whole file could not be read as its kind: every data line is in "
    "landing_rejects with the file's reason)"
)

BOOKKEEPING_TABLES: dict[str, Table] = {
    "landing_batches": Table(
        "One row per run of the landing script that found a new file (a batch, committed all or nothing).",
        (
            Column("batch_id", "Batch id (sortable: UTC time and a random suffix). Primary key."),
            Column("started_at", "When the batch started (UTC).", data_type="timestamptz"),
            Column("finished_at", "When the batch committed (UTC).", data_type="timestamptz"),
            Column("files_loaded", "Files loaded by the batch.", data_type="integer"),
            Column(
                "files_skipped",
                "Files skipped because their bytes were landed (or rejected) before.",
                data_type="integer",
            ),
            Column("rows_in", "Data rows read from the batch's files.", data_type="bigint"),
            Column("rows_loaded", "Rows loaded into raw tables.", data_type="bigint"),
            Column("rows_rejected", "Rows kept in landing_rejects instead.", data_type="bigint"),
            Column(
                "files_rejected",
                "Files rejected or refused by the batch (see landed_files and refused_files).",
                data_type="integer",
            ),
        ),
        primary_key="batch_id",
    ),
    "landed_files": Table(
        "One row per file read (by content: the same bytes are never loaded twice), loaded or not.",
        (
            Column("file_path", "Path relative to the landing root."),
            Column("file_sha256", "SHA-256 of the file's bytes. Primary key."),
            Column("kind", "Landing kind of the file (see the README)."),
            Column("batch_id", "Batch that read it."),
            Column("file_bytes", "Size of the file in bytes, as landed.", data_type="bigint"),
            Column("rows_in", "Data rows read (rows_in = rows_loaded + rows_rejected).", data_type="bigint"),
            Column("rows_loaded", "Rows loaded into the kind's raw table.", data_type="bigint"),
            Column("rows_rejected", "Rows kept in landing_rejects.", data_type="bigint"),
            Column("loaded_at", "When the file was read (UTC).", data_type="timestamptz"),
            Column("status", "What became of the file: " + _STATUSES + "."),
            Column("reason", "Why the file was rejected, or why it has no data rows; null when loaded."),
            Column(
                "encoding",
                "The text encoding the file was read with (utf-8, or the one detected: cp1252, utf-16 ...).",
            ),
            Column("compression", "The compression removed before reading (gzip, bzip2, xz), if any."),
        ),
        primary_key="file_sha256",
    ),
    "landed_file_columns": Table(
        "One row per header of a landed file and per expected column it lacked: schema drift, recorded.",
        (
            Column("file_sha256", "The landed file."),
            Column("file_path", "Path relative to the landing root."),
            Column("batch_id", "Batch that loaded the file."),
            Column("header", "Header as written in the file; null for a missing column."),
            Column("column_name", "Column of the raw table it maps to; null for an unexpected header."),
            Column("status", "mapped, unexpected (kept in _lf_extra) or missing (loaded as null)."),
        ),
    ),
    "landing_rejects": Table(
        "One row per row that could not be loaded, with why: nothing is silently dropped.",
        (
            Column("batch_id", "Batch that read the row."),
            Column("file_path", "Path relative to the landing root."),
            Column("file_sha256", "SHA-256 of the file."),
            Column("kind", "Landing kind of the file."),
            Column("line_number", "Line on which the row starts.", data_type="bigint"),
            Column(
                "raw_text",
                "The row's text as it was in the file (bad bytes and NUL characters backslash-escaped, "
                "cut after a million characters); null once an erasure found the person's address in it.",
                pii="sensitive",
            ),
            Column("reason", "Why it could not be loaded."),
            Column("loaded_at", "When it was rejected (UTC).", data_type="timestamptz"),
            Column(
                "erased_at",
                "When an erasure removed the row's text (it held an erased person's address); "
                "null otherwise.",
                data_type="timestamptz",
            ),
        ),
    ),
    "refused_files": Table(
        "One row per path in the landing folder the loader refused to read (an unknown kind of file, a "
        "symbolic link leading outside the folder, a directory or device where a file was expected, "
        "an unreadable file); the row goes when a file of a known kind lands at that path, or when a "
        "landing run of the whole folder no longer finds the path.",
        (
            Column("file_path", "Path relative to the landing root. Primary key."),
            Column("reason", "Why the file was refused."),
            Column("first_refused_at", "When the path was first refused (UTC).", data_type="timestamptz"),
            Column("last_refused_at", "When it was last refused (UTC).", data_type="timestamptz"),
            Column("batch_id", "The landing run that last refused it."),
            Column("kind", "The kind whose files the path's name matches; null when it matches none."),
        ),
        primary_key="file_path",
    ),
    "landing_kinds": Table(
        "One row per kind of landing file: the landing contract as data (rewritten by every landing run).",
        (
            Column("kind", "Name of the kind. Primary key."),
            Column("raw_table", "The raw table its rows land in."),
            Column("path_pattern", "Where its files go, relative to the landing root."),
            Column("file_format", "csv or jsonl."),
            Column("owner_team", "The team that owns its files and fixes what cannot be loaded from them."),
            Column("description", "What the files hold."),
        ),
        primary_key="kind",
    ),
}
