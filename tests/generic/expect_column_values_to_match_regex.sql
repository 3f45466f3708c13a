{#- Expectation: the regular expression (RE2, as DuckDB's regexp_matches) matches somewhere in every
    value; nulls are ignored. Fails with every row it does not match. Arguments: column_name, regex,
    row_condition (optional filter), is_raw (accepted for dbt_expectations compatibility; DuckDB
    string literals keep backslashes as written), flags (DuckDB regex options, e.g. "i"), mostly
    (optional, this project's extension, default 1). -#}
{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags="", mostly=1) %}
{{ expectation_row_failures(model, expectation_regex_match(column_name, regex, flags), row_condition, mostly) }}
{% endtest %}
