{#- Each inbound lead matched to an existing CRM account: the best candidate account
    (int_account_match_candidates) wins when its confidence reaches var account_match_threshold; a
    runner-up from another account within var account_ambiguity_margin makes the match ambiguous
    (it goes to review); a lead with a company but no confident match is a new-account candidate.
    A reviewer's lead_account decision overrides the model. -#}
with

leads as (
    select * from {{ ref('int_person_records_prepared') }}
    where record_type = 'lead'
),

candidates as (
    select * from {{ ref('int_account_match_candidates') }}
),

account_decisions as (
    select * from {{ ref('stg_reviews__match_decisions') }}
    where decision = 'lead_account'
),

top_two as (
    select
        record_id,
        max(case when candidate_rank = 1 then account_id end) as account_id,
        max(case when candidate_rank = 1 then match_method end) as match_method,
        max(case when candidate_rank = 1 then match_confidence end) as match_confidence,
        max(case when candidate_rank = 2 then account_id end) as runner_up_account_id,
        max(case when candidate_rank = 2 then match_confidence end) as runner_up_confidence
    from candidates
    where candidate_rank <= 2
    group by record_id
),

decided as (
    select
        *,
        coalesce(
            runner_up_confidence >= match_confidence - {{ var('account_ambiguity_margin') }}, false
        ) as is_ambiguous,
        match_confidence >= {{ var('account_match_threshold') }} as is_confident
    from top_two
),

model_matches as (
    select
        leads.record_id,
        decided.account_id as candidate_account_id,
        decided.match_method,
        decided.match_confidence as match_probability,
        decided.runner_up_account_id,
        decided.runner_up_confidence,
        coalesce(decided.is_ambiguous, false) as is_ambiguous,
        case
            when decided.account_id is null then 'no_candidate'
            when decided.is_ambiguous then 'ambiguous'
            when decided.is_confident then 'matched'
            else 'below_threshold'
        end as match_status,
        case when decided.is_confident and not decided.is_ambiguous then decided.account_id end as account_id,
        (
            not coalesce(decided.is_confident, false)
            and not coalesce(decided.is_ambiguous, false)
            and (leads.company_name_key is not null or leads.company_domain_key is not null)
        ) as is_new_account_candidate
    from leads
    left join decided on leads.record_id = decided.record_id
),

final as (
    -- A reviewer's decision overrides the model: the lead belongs to the account decided (or none).
    select
        model_matches.record_id,
        model_matches.candidate_account_id,
        case when account_decisions.record_id is not null then 'reviewer' else model_matches.match_method end
            as match_method,
        case when account_decisions.record_id is not null then 1.0 else model_matches.match_probability end
            as match_probability,
        model_matches.runner_up_account_id,
        model_matches.runner_up_confidence,
        model_matches.is_ambiguous and account_decisions.record_id is null as is_ambiguous,
        case
            when account_decisions.record_id is null then model_matches.match_status
            when account_decisions.account_id is null then 'decided_none'
            else 'matched'
        end as match_status,
        case
            when account_decisions.record_id is not null then account_decisions.account_id
            else model_matches.account_id
        end as account_id,
        case
            when account_decisions.record_id is not null
                then account_decisions.account_id is null and model_matches.is_new_account_candidate
            else model_matches.is_new_account_candidate
        end as is_new_account_candidate,
        model_matches.account_id as model_account_id
    from model_matches
    left join account_decisions on model_matches.record_id = account_decisions.record_id
)

select * from final
