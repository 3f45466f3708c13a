{#- For a select list: the facts about a record that the Minimum Viable Lead's conditions read
    beside its own columns, each defined once elsewhere: has_deliverable_email (is_deliverable_email),
    has_usable_email (is_usable_email), is_junk_name (seed junk_names), is_non_company_name (seed
    non_company_names) and is_consent_required (its country is in seed consent_required_countries).
    Argument: relation_alias (the record's alias). -#}
{% macro mvl_record_facts(relation_alias) -%}
    {{ is_deliverable_email(relation_alias) }} as has_deliverable_email,
    {{ is_usable_email(relation_alias) }} as has_usable_email,
    {{ is_junk_name(relation_alias ~ '.first_name', relation_alias ~ '.last_name') }} as is_junk_name,
    {{ is_non_company_name(relation_alias ~ '.company_name') }} as is_non_company_name,
    coalesce(
        {{ relation_alias }}.country_code in (select country_code from {{ ref('consent_required_countries') }}),
        false
    ) as is_consent_required
{%- endmacro %}
