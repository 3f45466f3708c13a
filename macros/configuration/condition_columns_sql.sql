{#- A query giving, per rule, DuckDB's parse error of its condition (or null) and the columns it
    names that are not among the given ones (comma-separated, or empty). Function-like keywords
    (current_date and the like) parse as column names and are not counted. Arguments: rules (rules
    with a name and a condition) and columns (the column names the conditions may read). -#}
{% macro condition_columns_sql(rules, columns) -%}
    with

    conditions as (
        select * from (
            values
            {%- for rule in rules %}
                ('{{ rule.name }}', '{{ rule.condition | replace("'", "''") }}'){{ "," if not loop.last }}
            {%- endfor %}
        ) as conditions (rule_name, rule_condition)
    ),

    parsed as (
        select
            rule_name,
            rule_condition,
            json_serialize_sql('select (' || rule_condition || ')') as parse_tree
        from conditions
    ),

    named as (
        select
            rule_name,
            rule_condition,
            json_extract_string(parse_tree, '$.error_message') as error_message,
            list_distinct(list_transform(
                regexp_extract_all(parse_tree, '"column_names":\[([^\]]*)\]', 1),
                lambda names: trim(string_split(names, ',')[-1], '"')
            )) as named_columns
        from parsed
    )

    select
        rule_name,
        rule_condition,
        error_message,
        array_to_string(list_sort(list_filter(
            named_columns,
            lambda name: not list_contains(
                [{% for column in columns %}'{{ column }}', {% endfor %}'current_date', 'current_time',
                 'current_timestamp', 'localtime', 'localtimestamp'],
                name
            )
        )), ', ') as unknown_columns
    from named
{%- endmacro %}
