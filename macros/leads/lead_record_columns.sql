{#- The columns every inbound lead record has, from every door, in order (int_leads_unioned selects
    them from each source; a source without a field selects null). A field in var
    steward_fixable_fields must be one of them (or country, which sets country_raw). -#}
{% macro lead_record_columns() -%}
    {{ return([
        'first_name', 'last_name', 'email', 'email_domain', 'email_local_part', 'is_email_syntax_valid',
        'is_free_email', 'is_disposable_email', 'is_role_email', 'company_name', 'company_match_name',
        'website_domain', 'job_title', 'phone', 'phone_e164', 'street', 'city', 'state', 'postal_code', 'country_raw',
        'country_code',
        'has_marketing_consent', 'has_opted_out_of_email', 'batch_id', 'source_file_sha256', 'source_file_path',
        'source_line_number', 'loaded_at', 'erased_at',
    ]) }}
{%- endmacro %}
