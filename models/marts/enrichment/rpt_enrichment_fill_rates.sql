{#- How complete each field the enrichment waterfall fills is, before enrichment (after steward
    fixes) and after it, and where the values came from. -#}
{%- set columns = {'country': 'country_code'} -%}

with

fixed as (
    select * from {{ ref('int_leads_fixed') }}
),

enriched as (
    select * from {{ ref('int_leads_enriched') }}
),

record_count as (
    select count(*) as records from fixed
),

before_by_field as (
    {%- for field in var('enrichment_precedence') %}
        select
            '{{ field }}' as field_name,
            {%- if field == 'company_name' %}
                count(*) filter (where not {{ is_non_company_name('company_name') }} and company_name is not null)
                    as filled_before
            {%- else %}
                count({{ columns.get(field, field) }}) as filled_before
            {%- endif %}
        from fixed
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

after_by_field as (
    {%- for field in var('enrichment_precedence') %}
        select
            '{{ field }}' as field_name,
            count(*) filter (where {{ field }}_source is not null) as filled_after,
            count(*) filter (where {{ field }}_source = 'steward') as from_steward,
            count(*) filter (where {{ field }}_source = 'record') as from_record,
            count(*) filter (where {{ field }}_source = 'crm_account') as from_crm_account,
            count(*) filter (where {{ field }}_source not in ('steward', 'record', 'crm_account')) as from_providers
        from enriched
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        after_by_field.field_name,
        record_count.records,
        before_by_field.filled_before,
        after_by_field.filled_after,
        before_by_field.filled_before / record_count.records as fill_rate_before,
        after_by_field.filled_after / record_count.records as fill_rate_after,
        after_by_field.from_steward,
        after_by_field.from_record,
        after_by_field.from_crm_account,
        after_by_field.from_providers
    from after_by_field
    inner join before_by_field on after_by_field.field_name = before_by_field.field_name
    cross join record_count
)

select * from final
