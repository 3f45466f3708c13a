with

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

final as (
    select
        account_matches.record_id,
        leads.company_name,
        leads.email_domain,
        leads.website_domain,
        leads.country_code,
        account_matches.match_method,
        account_matches.candidate_account_id as first_account_id,
        first_account.account_name as first_account_name,
        account_matches.match_probability as first_confidence,
        account_matches.runner_up_account_id as second_account_id,
        second_account.account_name as second_account_name,
        account_matches.runner_up_confidence as second_confidence,
        leads.arrived_at
    from account_matches
    inner join leads on account_matches.record_id = leads.record_id
    left join accounts as first_account on account_matches.candidate_account_id = first_account.account_id
    left join accounts as second_account on account_matches.runner_up_account_id = second_account.account_id
    where account_matches.is_ambiguous
)

select * from final
