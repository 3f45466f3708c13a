{#- A timestamp in UTC (without time zone) from text: ISO 8601 with or without offset (no offset
    means UTC), US dates with slashes (month first) and European dates with dots (day first),
    optionally with hours and minutes. Null when the text matches none of these. -#}
{% macro to_utc_timestamp(expr) -%}
    coalesce(
        timezone('UTC', try_cast({{ clean_text(expr) }} as timestamptz)),
        try_strptime(
            {{ clean_text(expr) }},
            ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y']
        )
    )
{%- endmacro %}
