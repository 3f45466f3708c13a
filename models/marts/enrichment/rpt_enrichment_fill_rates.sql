{#- How complete each field the enrichment waterfall fills is, before enrichment (the record's own
    value, after steward fixes) and after it, and where the values came from: the daily fill
    counts summed over every record. -#}
with

daily as (
    select * from {{ ref('fct_field_fill_daily') }}
),

by_field as (
    select
        field_name,
        sum(records)::bigint as records,
        sum(filled_before)::bigint as filled_before,
        sum(filled_after)::bigint as filled_after,
        sum(from_steward)::bigint as from_steward,
        sum(from_record)::bigint as from_record,
        sum(from_crm_account)::bigint as from_crm_account,
        sum(from_providers)::bigint as from_providers
    from daily
    group by field_name
),

final as (
    select
        field_name,
        records,
        filled_before,
        filled_after,
        filled_before / records as fill_rate_before,
        filled_after / records as fill_rate_after,
        from_steward,
        from_record,
        from_crm_account,
        from_providers
    from by_field
)

select * from final
