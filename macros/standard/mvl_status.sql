{#- A record's Minimum Viable Lead status from its passes_<rule> columns: rejected when it fails a
    blocking rule whose remedy is reject; else needs_remediation when it fails a blocking rule a
    person must fix (remedy steward); else needs_enrichment when every blocking rule it fails can be
    fixed by enrichment; else ready. Warnings never change the status. -#}
{% macro mvl_status() -%}
    {%- set blocking = mvl_rules() | selectattr('severity', 'equalto', 'blocking') | list -%}
    case
        {%- for remedy, status in [('reject', 'rejected'), ('steward', 'needs_remediation'), ('enrichment', 'needs_enrichment')] %}
        {%- set failing = blocking | selectattr('remedy', 'equalto', remedy) | list %}
        {%- if failing %}
        when {% for rule in failing %}not passes_{{ rule['name'] }}{{ " or " if not loop.last }}{% endfor %}
            then '{{ status }}'
        {%- endif %}
        {%- endfor %}
        else 'ready'
    end
{%- endmacro %}
