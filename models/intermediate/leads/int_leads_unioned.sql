{#- Every inbound lead record, from every door, in one shape. The columns are listed once (macro
    lead_record_columns) and selected from each source in the same order; a source without a field
    selects null for it. -#}
{%- set lead_columns = lead_record_columns() -%}

with

form_submissions as (
    select * from {{ ref('stg_forms__submissions') }}
),

list_members as (
    select * from {{ ref('stg_uploads__list_members') }}
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

forms_shaped as (
    select
        *,
        'form' as source_system,
        submission_id as source_record_id,
        form_id as source_detail,
        submitted_at as arrived_at,
        null::varchar as website_domain,
        null::boolean as has_opted_out_of_email
    from form_submissions
),

uploads_shaped as (
    select
        *,
        'upload' as source_system,
        source_file_path || ':' || source_line_number as source_record_id,
        upload_file_name as source_detail,
        registered_at as arrived_at,
        null::boolean as has_opted_out_of_email
    from list_members
),

crm_leads_shaped as (
    select
        *,
        'crm_lead' as source_system,
        lead_id as source_record_id,
        lead_source_raw as source_detail,
        created_at as arrived_at,
        null::boolean as has_marketing_consent
    from crm_leads
),

unioned as (
    {% for cte in ['forms_shaped', 'uploads_shaped', 'crm_leads_shaped'] %}
        select
            record_id,
            source_system,
            source_record_id,
            lead_source,
            source_detail,
            {% for column in lead_columns %}{{ column }},
            {% endfor %}coalesce(arrived_at, loaded_at) as arrived_at
        from {{ cte }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select * from unioned
)

select * from final
