{#- Every inbound record with its fields filled by the declared waterfall (var
    enrichment_precedence): per field, the first candidate value (int_enrichment_candidates) in the
    declared order of sources - a data steward's fix, the record's own value, the CRM account with
    the record's company domain, or an enrichment provider's answer - with its source and when the
    source supplied it. A provider never overrides a steward's fix or a value the record has,
    unless a deployment declares another order. -#}
with

leads as (
    select * from {{ ref('int_leads_fixed') }}
),

candidates as (
    select * from {{ ref('int_enrichment_candidates') }}
),

precedence as (
    select * from {{ ref('int_enrichment_precedence') }}
),

field_positions as (
    select distinct
        field_name,
        field_position
    from precedence
),

chosen as (
    select candidates.*
    from candidates
    where candidates.precedence_rank is not null
    qualify row_number() over (
        partition by candidates.record_id, candidates.field_name
        order by candidates.precedence_rank, candidates.answer_rank
    ) = 1
),

pivoted as (
    select
        chosen.record_id,
        {%- for field_name in enrichment_fields() %}
            any_value(chosen.field_value) filter (where chosen.field_name = '{{ field_name }}')
                as {{ field_name }}_value,
            any_value(chosen.source_name) filter (where chosen.field_name = '{{ field_name }}')
                as {{ field_name }}_source,
            any_value(chosen.sourced_at) filter (where chosen.field_name = '{{ field_name }}')
                as {{ field_name }}_sourced_at,
        {%- endfor %}
        list(chosen.field_name order by field_positions.field_position) filter (where chosen.is_enrichment)
            as enriched_fields,
        max(chosen.sourced_at) filter (where chosen.is_enrichment) as last_enriched_at
    from chosen
    inner join field_positions on chosen.field_name = field_positions.field_name
    group by chosen.record_id
),

final as (
    select
        leads.record_id,
        leads.source_system,
        leads.source_record_id,
        leads.lead_source,
        leads.source_detail,
        pivoted.first_name_value as first_name,
        pivoted.last_name_value as last_name,
        leads.email,
        leads.email_domain,
        leads.email_local_part,
        leads.is_email_syntax_valid,
        leads.is_free_email,
        leads.is_disposable_email,
        leads.is_role_email,
        -- A company name from the record keeps its match name; one from elsewhere gets its own.
        coalesce(
            pivoted.company_name_value,
            case when {{ is_non_company_name('leads.company_name') }} then leads.company_name end
        ) as company_name,
        case
            when coalesce(pivoted.company_name_source in ('steward', 'record'), true) then leads.company_match_name
            else {{ company_match_name('pivoted.company_name_value') }}
        end as company_match_name,
        leads.website_domain,
        pivoted.job_title_value as job_title,
        leads.phone,
        -- A country from elsewhere can make a national-format phone number readable.
        coalesce(leads.phone_e164, {{ phone_e164('leads.phone', 'pivoted.country_value') }}) as phone_e164,
        leads.street,
        pivoted.city_value as city,
        leads.state,
        leads.postal_code,
        leads.country_raw,
        pivoted.country_value as country_code,
        leads.has_marketing_consent,
        leads.has_opted_out_of_email,
        leads.batch_id,
        leads.source_file_sha256,
        leads.source_file_path,
        leads.source_line_number,
        leads.loaded_at,
        leads.erased_at,
        leads.arrived_at,
        leads.fixed_fields,
        leads.last_fixed_at,
        coalesce(pivoted.enriched_fields, []::varchar[]) as enriched_fields,
        pivoted.last_enriched_at,
        {%- for field_name in enrichment_fields() %}
            pivoted.{{ field_name }}_source,
            pivoted.{{ field_name }}_sourced_at,
        {%- endfor %}
        greatest(leads.changed_at, coalesce(pivoted.last_enriched_at, leads.changed_at)) as changed_at
    from leads
    left join pivoted on leads.record_id = pivoted.record_id
)

select * from final
