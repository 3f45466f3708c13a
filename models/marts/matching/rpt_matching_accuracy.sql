{#- Matching accuracy against the gold labels, at three levels: pairs (every two records put in one
    person), person clusters (a person counts as right only with exactly the records of one true
    person) and lead-to-account matches. Only labelled records count. -#}
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

scores as (
    select
        'pairs' as measure,
        pair_counts.true_positive_pairs / nullif(pair_counts.predicted_pairs, 0) as precision_score,
        pair_counts.true_positive_pairs / nullif(pair_counts.true_pairs, 0) as recall_score,
        pair_counts.true_pairs as labelled_count
    from pair_counts
    union all
    select
        'person_clusters' as measure,
        cluster_counts.exact_clusters / nullif(cluster_counts.predicted_clusters, 0) as precision_score,
        cluster_counts.exact_clusters / nullif(cluster_counts.true_clusters, 0) as recall_score,
        cluster_counts.true_clusters as labelled_count
    from cluster_counts
    union all
    select
        'lead_to_account' as measure,
        account_counts.right_leads / nullif(account_counts.labelled_leads, 0) as precision_score,
        account_counts.right_leads / nullif(account_counts.labelled_leads, 0) as recall_score,
        account_counts.labelled_leads as labelled_count
    from account_counts
),

final as (
    select
        measure,
        labelled_count::bigint as labelled_count,
        precision_score::double as precision_score,
        recall_score::double as recall_score,
        (2 * precision_score * recall_score / nullif(precision_score + recall_score, 0))::double as f1_score
    from scores
)

select * from final
