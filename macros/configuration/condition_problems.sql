{#- The problems with the conditions of a declaration of rules (rule_declaration's result): each
    condition is parsed by DuckDB (json_serialize_sql, which reports syntax errors without raising)
    and every column it names is looked up among the documented columns of the model the
    conditions are evaluated in. Each problem names the var the condition came from and the rule.
    Arguments: declaration (rule_declaration's result) and model_name (the model whose columns the
    conditions read). -#}
{% macro condition_problems(declaration, model_name) -%}
    {%- set problems = [] -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- set rules = declaration['rules'] | selectattr('condition', 'string') | list -%}
    {%- if not node or not rules -%}
        {{ return(problems) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns if not column.startswith('passes_') and not column.startswith('failed_') -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    {%- set parsed = run_query(condition_columns_sql(rules, columns)) -%}
    {%- for row in parsed.rows -%}
        {%- set origin = declaration['origins'][row['rule_name']]['condition'] -%}
        {%- if row['error_message'] -%}
            {%- do problems.append(
                origin ~ ": rule " ~ row['rule_name'] ~ " has a condition that is not valid SQL ("
                ~ row['error_message'] ~ "): " ~ row['rule_condition']
            ) -%}
        {%- elif row['unknown_columns'] -%}
            {%- do problems.append(
                origin ~ ": rule " ~ row['rule_name'] ~ " has a condition naming " ~ row['unknown_columns']
                ~ ", which " ~ model_name ~ " does not have (its columns are listed in the docs site)"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}
