{#- The enrichment waterfall's order as a table: var enrichment_precedence unpacked into one row
    per field and source with its rank. A field the var leaves out keeps the record's own value
    (a steward's fix, else the record's). The var is checked by macro validate_configuration. -#}
{%- set declared = [] -%}
{%- for field_name, sources in var('enrichment_precedence').items() -%}
    {%- for source_name in sources -%}
        {%- do declared.append({'field_name': field_name, 'source_name': source_name, 'rank': loop.index}) -%}
    {%- endfor -%}
{%- endfor -%}

with

waterfall_fields as (
    select
        listed.field_name,
        listed.field_position
    from (
        values
        {%- for field_name in enrichment_fields() %}
            ('{{ field_name }}', {{ loop.index }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as listed (field_name, field_position)
),

declared as (
    {%- if declared %}
        select
            listed.field_name,
            listed.source_name,
            listed.precedence_rank
        from (
            values
            {%- for row in declared %}
                ('{{ row.field_name }}', '{{ row.source_name }}', {{ row.rank }}){{ "," if not loop.last }}
            {%- endfor %}
        ) as listed (field_name, source_name, precedence_rank)
    {%- else %}
        select
            null::varchar as field_name,
            null::varchar as source_name,
            null::integer as precedence_rank
        where false
    {%- endif %}
),

own_value as (
    select
        listed.source_name,
        listed.precedence_rank
    from (values ('steward', 1), ('record', 2)) as listed (source_name, precedence_rank)
),

undeclared as (
    select
        waterfall_fields.field_name,
        own_value.source_name,
        own_value.precedence_rank
    from waterfall_fields
    cross join own_value
    where waterfall_fields.field_name not in (select declared.field_name from declared)
),

ranked as (
    select * from declared
    union all
    select * from undeclared
),

final as (
    select
        waterfall_fields.field_name,
        waterfall_fields.field_position,
        ranked.source_name,
        ranked.precedence_rank,
        ranked.source_name not in ('steward', 'record') as is_enrichment
    from ranked
    inner join waterfall_fields on ranked.field_name = waterfall_fields.field_name
)

select * from final
