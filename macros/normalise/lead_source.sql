{#- The factory's lead source (the lead_sources seed's vocabulary) for a raw value of a source
    system's own field, through the lead_source_mapping seed: "other" when the value is given but
    not mapped, "unknown" when empty. Arguments: source_system (form_utm_medium, crm_lead_source or
    upload_type) and expr (SQL giving the raw value). -#}
{% macro lead_source(source_system, expr) -%}
    coalesce(
        {{ reference_lookup('lead_source:' ~ source_system, lookup_key(expr)) }},
        case when {{ lookup_key(expr) }} is null then 'unknown' else 'other' end
    )
{%- endmacro %}
