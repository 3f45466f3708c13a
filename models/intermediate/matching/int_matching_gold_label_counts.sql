{#- The counts behind matching accuracy against the gold labels, at three levels: pairs (every two
    records put in one person), person clusters (a person counts as right only with exactly the
    records of one true person) and lead-to-account matches. Only labelled records count. For each
    measure: the right answers, and what precision and recall take them as a share of. -#}
with

labels as (
    select * from {{ ref('stg_reviews__gold_labels') }}
),

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

labelled as (
    select
        persons.record_id,
        persons.person_id,
        labels.true_person_id
    from persons
    inner join labels on persons.record_id = labels.record_id
),

overlap as (
    -- Records per (predicted person, true person): the building block of every count below.
    select
        person_id,
        true_person_id,
        count(*) as records
    from labelled
    group by person_id, true_person_id
),

predicted_sizes as (
    select
        person_id,
        sum(records) as records
    from overlap
    group by person_id
),

true_sizes as (
    select
        true_person_id,
        sum(records) as records
    from overlap
    group by true_person_id
),

pair_counts as (
    select
        (select sum(records * (records - 1) / 2) from overlap) as true_positive_pairs,
        (select sum(records * (records - 1) / 2) from predicted_sizes) as predicted_pairs,
        (select sum(records * (records - 1) / 2) from true_sizes) as true_pairs
),

overlap_links as (
    -- How many true people each predicted person touches, and the other way round.
    select
        person_id,
        true_person_id,
        count(*) over (partition by person_id) as true_people_in_person,
        count(*) over (partition by true_person_id) as persons_in_true_person
    from overlap
),

cluster_counts as (
    -- A predicted person is exact when it and its true person touch only each other.
    select
        count(*) filter (where true_people_in_person = 1 and persons_in_true_person = 1) as exact_clusters,
        count(distinct person_id) as predicted_clusters,
        count(distinct true_person_id) as true_clusters
    from overlap_links
),

account_counts as (
    -- A lead is right when matched to its true account, or to none when it has none.
    select
        count(*) as labelled_leads,
        count(*) filter (
            where coalesce(
                account_matches.account_id = labels.true_account_id,
                account_matches.account_id is null and labels.true_account_id is null
            )
        ) as right_leads
    from account_matches
    inner join labels on account_matches.record_id = labels.record_id
),

counts as (
    select
        'pairs' as measure,
        true_pairs as labelled_count,
        true_positive_pairs as right_count,
        predicted_pairs as precision_denominator,
        true_pairs as recall_denominator
    from pair_counts
    union all
    select
        'person_clusters' as measure,
        true_clusters as labelled_count,
        exact_clusters as right_count,
        predicted_clusters as precision_denominator,
        true_clusters as recall_denominator
    from cluster_counts
    union all
    select
        'lead_to_account' as measure,
        labelled_leads as labelled_count,
        right_leads as right_count,
        labelled_leads as precision_denominator,
        labelled_leads as recall_denominator
    from account_counts
),

final as (
    select
        measure,
        coalesce(labelled_count, 0)::bigint as labelled_count,
        coalesce(right_count, 0)::bigint as right_count,
        coalesce(precision_denominator, 0)::bigint as precision_denominator,
        coalesce(recall_denominator, 0)::bigint as recall_denominator
    from counts
)

select * from final
