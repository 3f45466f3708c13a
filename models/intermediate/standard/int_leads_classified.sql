{#- Every inbound lead record held against the Minimum Viable Lead: the record as fixed by data
    stewards and enriched, the facts the rules read (macro mvl_record_facts and the account match),
    one passes_<rule> flag per declared rule (macro mvl_rule_flags), the lists of failed rules and
    the status (macro mvl_status). -#}
with

leads as (
    select * from {{ ref('int_leads_enriched') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

facts as (
    -- What the rules' conditions read: the record's columns and these.
    select
        leads.*,
        {{ mvl_record_facts('leads') }},
        account_matches.match_status as account_match_status,
        account_matches.account_id,
        account_matches.is_new_account_candidate
    from leads
    left join account_matches on leads.record_id = account_matches.record_id
),

flagged as (
    select
        *,
        {{ mvl_rule_flags() }}
    from facts
),

final as (
    select
        *,
        {{ mvl_status() }} as mvl_status,
        {{ mvl_failed_rules() }} as failed_rules,
        {{ mvl_failed_rules('blocking') }} as failed_blocking_rules,
        {{ mvl_failed_rules('warning') }} as failed_warning_rules
    from flagged
)

-- One passes_<rule> column per declared rule.
select * from final  -- noqa: AM04
