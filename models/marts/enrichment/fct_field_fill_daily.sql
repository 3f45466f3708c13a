{#- How complete each field the enrichment waterfall fills is, before enrichment (the record's own
    value, after steward fixes) and after it, and where the values came from, counted per arrival
    day, door and country: the semantic layer's fill-rate metrics and rpt_enrichment_fill_rates
    read it. -#}
with

candidates as (
    select * from {{ ref('int_enrichment_candidates') }}
),

enriched as (
    select * from {{ ref('int_leads_enriched') }}
),

own_values as (
    select distinct
        record_id,
        field_name
    from candidates
    where source_name in ('steward', 'record')
),

value_sources as (
    {%- for field_name in enrichment_fields() %}
        select
            record_id,
            '{{ field_name }}' as field_name,
            {{ field_name }}_source as value_source
        from enriched
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

per_record as (
    select
        enriched.arrived_at::date as arrival_date,
        enriched.source_system,
        enriched.lead_source,
        enriched.source_detail,
        enriched.country_code,
        value_sources.field_name,
        value_sources.value_source,
        own_values.record_id is not null as was_filled_before
    from value_sources
    inner join enriched on value_sources.record_id = enriched.record_id
    left join own_values
        on value_sources.record_id = own_values.record_id and value_sources.field_name = own_values.field_name
),

final as (
    select
        concat_ws(
            '|', arrival_date, source_system, lead_source, source_detail, country_code, field_name
        ) as fill_key,
        arrival_date,
        source_system,
        lead_source,
        source_detail,
        country_code,
        field_name,
        count(*) as records,
        count(*) filter (where was_filled_before) as filled_before,
        count(*) filter (where value_source is not null) as filled_after,
        count(*) filter (where value_source = 'steward') as from_steward,
        count(*) filter (where value_source = 'record') as from_record,
        count(*) filter (where value_source = 'crm_account') as from_crm_account,
        count(*) filter (where value_source not in ('steward', 'record', 'crm_account')) as from_providers
    from per_record
    group by all
)

select * from final
