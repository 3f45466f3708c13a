{#- How often the matching model agrees with reviewers' decisions, taken as labels: the model's own
    answer (before a decision overrides it) against the decision. -#}
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
    select
        'person_pair' as label_kind,
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
        'lead_account' as label_kind,
        decisions.account_id is not null as is_labelled_match,
        coalesce(account_matches.model_account_id = decisions.account_id, false) as is_model_match,
        coalesce(
            account_matches.model_account_id = decisions.account_id,
            account_matches.model_account_id is null and decisions.account_id is null
        ) as is_agreement
    from decisions
    inner join account_matches on decisions.record_id = account_matches.record_id
    where decisions.decision = 'lead_account'
),

labels as (
    select
        label_kind,
        is_labelled_match,
        is_model_match,
        is_labelled_match = is_model_match as is_agreement
    from person_labels
    union all
    select
        label_kind,
        is_labelled_match,
        is_model_match,
        is_agreement
    from account_labels
),

final as (
    select
        label_kind,
        count(*) as label_count,
        count(*) filter (where is_agreement) as agreement_count,
        count(*) filter (where is_labelled_match and is_model_match) as true_positive_count,
        count(*) filter (where not is_labelled_match and is_model_match) as false_positive_count,
        count(*) filter (where is_labelled_match and not is_model_match) as false_negative_count,
        avg(is_agreement::integer)::double as accuracy,
        (
            count(*) filter (where is_labelled_match and is_model_match)
            / nullif(count(*) filter (where is_model_match), 0)
        )::double as model_precision,
        (
            count(*) filter (where is_labelled_match and is_model_match)
            / nullif(count(*) filter (where is_labelled_match), 0)
        )::double as model_recall,
        {{ factory_as_of() }} as measured_at
    from labels
    group by label_kind
)

select * from final
