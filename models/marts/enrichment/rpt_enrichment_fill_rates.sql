{#- How complete each field the enrichment waterfall fills is, before enrichment (the record's own
    value, after steward fixes) and after it, and where the values came from. -#}
with

candidates as (
    select * from {{ ref('int_enrichment_candidates') }}
),

enriched as (
    select * from {{ ref('int_leads_enriched') }}
),

record_count as (
    select count(*) as records from enriched
),

before_by_field as (
    select
        field_name,
        count(distinct record_id) as filled_before
    from candidates
    where source_name in ('steward', 'record')
    group by field_name
),

after_by_field as (
    {%- for field_name in enrichment_fields() %}
        select
            '{{ field_name }}' as field_name,
            count(*) filter (where {{ field_name }}_source is not null) as filled_after,
            count(*) filter (where {{ field_name }}_source = 'steward') as from_steward,
            count(*) filter (where {{ field_name }}_source = 'record') as from_record,
            count(*) filter (where {{ field_name }}_source = 'crm_account') as from_crm_account,
            count(*) filter (where {{ field_name }}_source not in ('steward', 'record', 'crm_account'))
                as from_providers
        from enriched
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        after_by_field.field_name,
        record_count.records,
        coalesce(before_by_field.filled_before, 0) as filled_before,
        after_by_field.filled_after,
        coalesce(before_by_field.filled_before, 0) / record_count.records as fill_rate_before,
        after_by_field.filled_after / record_count.records as fill_rate_after,
        after_by_field.from_steward,
        after_by_field.from_record,
        after_by_field.from_crm_account,
        after_by_field.from_providers
    from after_by_field
    left join before_by_field on after_by_field.field_name = before_by_field.field_name
    cross join record_count
)

select * from final
