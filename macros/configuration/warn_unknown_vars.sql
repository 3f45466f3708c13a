{#- A warning for each var given on the command line (--vars) that the project does not declare
    but whose name looks like one it does (they share at least the first five characters, e.g.
    mvl_rule_override for mvl_rule_overrides): dbt would ignore it without a word. Vars of other
    packages (dbt_date:time_zone and the like) pass in silence. -#}
{% macro warn_unknown_vars() -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- set known = configuration_vars() -%}
    {%- for name in given if name not in known -%}
        {%- set ns = namespace(best='', shared=0) -%}
        {%- for candidate in known -%}
            {%- set shared = namespace(count=0) -%}
            {%- for i in range([name | length, candidate | length] | min) -%}
                {%- if name[:i + 1] == candidate[:i + 1] -%}{%- set shared.count = i + 1 -%}{%- endif -%}
            {%- endfor -%}
            {%- if shared.count > ns.shared -%}
                {%- set ns.best, ns.shared = candidate, shared.count -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if ns.shared >= 5 -%}
            {%- do exceptions.warn(
                "Warning: Lead Factory configuration: var " ~ name ~ " is not a var of this project and is ignored; did you mean "
                ~ ns.best ~ "? (see docs/configuration.md)"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
