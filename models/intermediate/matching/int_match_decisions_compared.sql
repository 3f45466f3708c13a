{#- Every usable reviewer decision beside the matching model's own answer on the same question,
    before the decision overrode it (int_persons_clustered joins same_person pairs and keeps
    different_person pairs apart, so the clustered people would agree with every decision): for a
    pair, whether its score reaches the threshold; for a lead, the account the model chose. -#}
with

decisions as (
    select * from {{ ref('stg_reviews__match_decisions') }}
),

pairs as (
    select * from {{ ref('int_person_pairs_scored') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

person_labels as (
    -- A pair the model never scored (not a candidate, or under person_pair_threshold) is a non-match.
    select
        decisions.subject,
        decisions.decision_id,
        'person_pair' as label_kind,
        decisions.record_id,
        decisions.other_record_id,
        null::varchar as account_id,
        null::varchar as model_account_id,
        pairs.match_probability,
        decisions.decision = 'same_person' as is_labelled_match,
        coalesce(pairs.match_probability >= {{ var('person_match_threshold') }}, false) as is_model_match
    from decisions
    left join pairs
        on
            least(decisions.record_id, decisions.other_record_id) = pairs.record_id_l
            and greatest(decisions.record_id, decisions.other_record_id) = pairs.record_id_r
    where decisions.decision in ('same_person', 'different_person')
),

account_labels as (
    -- A lead's account label is a match when the model chose the decided account.
    select
        decisions.subject,
        decisions.decision_id,
        'lead_account' as label_kind,
        decisions.record_id,
        decisions.other_record_id,
        decisions.account_id,
        account_matches.model_account_id,
        null::double as match_probability,
        decisions.account_id is not null as is_labelled_match,
        coalesce(account_matches.model_account_id = decisions.account_id, false) as is_model_match
    from decisions
    inner join account_matches on decisions.record_id = account_matches.record_id
    where decisions.decision = 'lead_account'
),

labels as (
    select * from person_labels
    union all
    select * from account_labels
),

final as (
    select
        *,
        -- Agreement: the same answer; for an account, the same account or no account on both sides.
        case
            when label_kind = 'lead_account'
                then coalesce(model_account_id = account_id, model_account_id is null and account_id is null)
            else is_labelled_match = is_model_match
        end as is_agreement
    from labels
)

select * from final
