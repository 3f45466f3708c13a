{#- Every inbound record with its fields filled by the declared waterfall (var enrichment_precedence):
    per field, the first source in the declared order that has a value - a data steward's fix, the
    record's own value, the CRM account with the record's company domain, or an enrichment
    provider's answer (stg_enrichment__responses) - with the source and when it supplied the value.
    A provider never overrides a steward's fix or a value the record has, unless a deployment
    declares another order. -#}
{%- set providers = var('enrichment_providers') -%}
{%- set precedence = var('enrichment_precedence') -%}
{%- set column_of = {'country': 'country_code'} -%}
{#- A company's answer gives its name and country (where it is based); its city is the head office's,
    not the person's, so a city comes only from a person's answer. -#}
{%- set from_company = {'company_name': 'company_name', 'country': 'country_code'} -%}
{%- set from_person = {
    'company_name': 'company_name', 'country': 'country_code', 'city': 'city', 'job_title': 'job_title',
    'first_name': 'first_name', 'last_name': 'last_name',
} -%}
{%- set candidates = {} -%}
{%- for field in precedence -%}
    {%- set column = column_of.get(field, field) -%}
    {%- set own = 'keyed.' ~ column -%}
    {%- if field == 'company_name' -%}
        {%- set own_value = "case when not keyed.is_non_company_name then keyed.company_name end" -%}
    {%- else -%}
        {%- set own_value = own -%}
    {%- endif -%}
    {%- set options = {
        'steward': (
            "case when list_contains(keyed.fixed_fields, '" ~ field ~ "') then " ~ own ~ " end",
            'keyed.last_fixed_at',
        ),
        'record': (
            "case when not list_contains(keyed.fixed_fields, '" ~ field ~ "') then (" ~ own_value ~ ") end",
            'keyed.loaded_at',
        ),
    } -%}
    {%- if field in ('company_name', 'country') -%}
        {%- do options.update({'crm_account': (
            'account_domains.' ~ ('account_name' if field == 'company_name' else 'billing_country_code'),
            'account_domains.loaded_at',
        )}) -%}
    {%- endif -%}
    {%- for provider in providers -%}
        {%- set parts = [] -%}
        {%- if field in from_company -%}{%- do parts.append(provider ~ '_company') -%}{%- endif -%}
        {%- if field in from_person -%}{%- do parts.append(provider ~ '_person') -%}{%- endif -%}
        {%- set value_sql -%}
            coalesce({% for part in parts %}{{ part }}.{{ from_company.get(field) if part.endswith('_company') else from_person[field] }}{{ ", " if not loop.last }}{% endfor %})
        {%- endset -%}
        {%- set at_sql -%}
            case {% for part in parts %}when {{ part }}.{{ from_company.get(field) if part.endswith('_company') else from_person[field] }} is not null then {{ part }}.requested_at {% endfor %}end
        {%- endset -%}
        {%- do options.update({provider: (value_sql if parts else 'null', at_sql if parts else 'null')}) -%}
    {%- endfor -%}
    {%- for source in precedence[field] if source not in options -%}
        {{ exceptions.raise_compiler_error(
            "enrichment_precedence: " ~ field ~ " names source '" ~ source ~ "', which is none of steward, record, "
            ~ ("crm_account, " if field in ('company_name', 'country') else "") ~ providers | join(', ')
        ) }}
    {%- endfor -%}
    {%- do candidates.update({field: options}) -%}
{%- endfor -%}

with

leads as (
    select * from {{ ref('int_leads_fixed') }}
),

responses as (
    select * from {{ ref('stg_enrichment__responses') }}
    where status = 'hit'
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

account_domains as (
    -- The CRM account of each company domain (the first by id when several share one).
    select
        website_domain,
        arg_min(account_name, account_id) as account_name,
        arg_min(billing_country_code, account_id) as billing_country_code,
        max(loaded_at) as loaded_at
    from accounts
    where website_domain is not null
    group by website_domain
),

keyed as (
    select
        leads.*,
        {{ is_non_company_name('leads.company_name') }} as is_non_company_name,
        {{ company_domain('leads') }} as company_lookup_domain,
        case when leads.is_email_syntax_valid and not leads.is_disposable_email then leads.email end
            as person_lookup_email
    from leads
),

waterfall as (
    select
        keyed.*,
        {%- for field, options in candidates.items() %}
        {%- set column = column_of.get(field, field) %}
        case
            {%- for source in precedence[field] %}
            when {{ options[source][0] }} is not null then {{ options[source][0] }}
            {%- endfor %}
        end as enriched_{{ column }},
        case
            {%- for source in precedence[field] %}
            when {{ options[source][0] }} is not null then '{{ source }}'
            {%- endfor %}
        end as {{ field }}_source,
        case
            {%- for source in precedence[field] %}
            when {{ options[source][0] }} is not null then {{ options[source][1] }}
            {%- endfor %}
        end as {{ field }}_sourced_at{{ "," if not loop.last }}
        {%- endfor %}
    from keyed
    left join account_domains on keyed.company_lookup_domain = account_domains.website_domain
    {%- for provider in providers %}
    left join responses as {{ provider }}_company
        on
            {{ provider }}_company.provider = '{{ provider }}'
            and {{ provider }}_company.request_type = 'company_by_domain'
            and keyed.company_lookup_domain = {{ provider }}_company.lookup_key
    left join responses as {{ provider }}_person
        on
            {{ provider }}_person.provider = '{{ provider }}'
            and {{ provider }}_person.request_type = 'person_by_email'
            and keyed.person_lookup_email = {{ provider }}_person.lookup_key
    {%- endfor %}
),

provenance as (
    select
        *,
        coalesce(string_split(nullif(concat_ws(',',
            {%- for field in candidates %}
            case when {{ field }}_source not in ('steward', 'record') then '{{ field }}' end
            {{- "," if not loop.last }}
            {%- endfor %}
        ), ''), ','), []::varchar []) as enriched_fields,
        list_max([
            {%- for field in candidates %}
            case when {{ field }}_source not in ('steward', 'record') then {{ field }}_sourced_at end
            {{- "," if not loop.last }}
            {%- endfor %}
        ]) as last_enriched_at
    from waterfall
),

final as (
    select
        record_id,
        source_system,
        source_record_id,
        lead_source,
        source_detail,
        {{ 'enriched_first_name' if 'first_name' in candidates else 'first_name' }} as first_name,
        {{ 'enriched_last_name' if 'last_name' in candidates else 'last_name' }} as last_name,
        email,
        email_domain,
        email_local_part,
        is_email_syntax_valid,
        is_free_email,
        is_disposable_email,
        is_role_email,
        {%- if 'company_name' in candidates %}
        -- A company name from the record keeps its match name; one from elsewhere gets its own.
        coalesce(enriched_company_name, case when is_non_company_name then company_name end) as company_name,
        case
            when company_name_source in ('steward', 'record') or company_name_source is null then company_match_name
            else {{ company_match_name('enriched_company_name') }}
        end as company_match_name,
        {%- else %}
        company_name,
        company_match_name,
        {%- endif %}
        website_domain,
        {{ 'enriched_job_title' if 'job_title' in candidates else 'job_title' }} as job_title,
        phone,
        {%- if 'country' in candidates %}
        -- A country from elsewhere can make a national-format phone number readable.
        coalesce(phone_e164, {{ phone_e164('phone', 'enriched_country_code') }}) as phone_e164,
        {%- else %}
        phone_e164,
        {%- endif %}
        {{ 'enriched_city' if 'city' in candidates else 'city' }} as city,
        country_raw,
        {{ 'enriched_country_code' if 'country' in candidates else 'country_code' }} as country_code,
        has_marketing_consent,
        has_opted_out_of_email,
        batch_id,
        source_file_path,
        source_line_number,
        loaded_at,
        arrived_at,
        fixed_fields,
        last_fixed_at,
        enriched_fields,
        last_enriched_at,
        {%- for field in candidates %}
        {{ field }}_source,
        {{ field }}_sourced_at,
        {%- endfor %}
        greatest(changed_at, coalesce(last_enriched_at, changed_at)) as changed_at
    from provenance
)

select * from final
