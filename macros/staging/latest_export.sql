{#- "The latest export wins": of every row a CRM export landed for one record, the one that was
    modified last (its LastModifiedDate), then the one landed last, then the later line of the
    file. A later export of the same record replaces an earlier one. A full select over a landed
    relation. Arguments: relation (the CTE or relation holding the landed rows), key_column (the
    record's id column, default id) and modified_at_column (default lastmodifieddate). -#}
{% macro latest_export(relation, key_column='id', modified_at_column='lastmodifieddate') -%}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key_column }}
        order by
            {{ to_utc_timestamp(modified_at_column) }} desc nulls last,
            _lf_loaded_at desc,
            _lf_line_number desc
    ) = 1
{%- endmacro %}
