{#- The pairs of person records drawn for review, to get labels when there are none: up to var
    review_sample_size scored pairs, a share (var review_sample_near_share) from those whose match
    weight is within var review_sample_weight_band of the acceptance threshold's weight (where the
    model is least sure) and the rest at random from all other scored pairs. The draw is the order
    of a hash of the pair seeded by var review_sample_seed, so the same pairs give the same sample.
    Pairs a reviewer decided already and pairs with an erased record are left out. -#}
{%- set size = var('review_sample_size') -%}
{%- set near_target = (size * var('review_sample_near_share')) | round | int -%}
{%- set threshold = [[var('person_match_threshold'), 0.000001] | max, 0.999999] | min -%}
with

pairs as (
    select * from {{ ref('int_person_pairs_scored') }}
),

decisions as (
    select * from {{ ref('stg_reviews__match_decisions') }}
),

erased as (
    select * from {{ ref('int_records_erased') }}
),

decided_pairs as (
    select distinct
        least(record_id, other_record_id) as record_id_l,
        greatest(record_id, other_record_id) as record_id_r
    from decisions
    where other_record_id is not null
),

eligible as (
    -- Each undecided pair, whether it is near the threshold, and its place in the seeded order.
    select
        pairs.record_id_l,
        pairs.record_id_r,
        pairs.match_weight,
        pairs.match_probability,
        abs(pairs.match_weight - ln({{ threshold }} / (1 - {{ threshold }})) / ln(2))
        <= {{ var('review_sample_weight_band') }} as is_near_threshold,
        {{ dbt.hash("'" ~ var('review_sample_seed') ~ "|' || pairs.record_id_l || '|' || pairs.record_id_r") }}
            as sample_key
    from pairs
    where
        not exists (
            select 1 from decided_pairs
            where decided_pairs.record_id_l = pairs.record_id_l and decided_pairs.record_id_r = pairs.record_id_r
        )
        and not exists (
            select 1 from erased
            where erased.record_id in (pairs.record_id_l, pairs.record_id_r)
        )
),

stratified as (
    -- The first pairs near the threshold in the seeded order form that stratum; the rest compete at random.
    select
        *,
        case
            when
                is_near_threshold
                and row_number() over (
                    partition by is_near_threshold order by sample_key, record_id_l, record_id_r
                ) <= {{ near_target }}
                then 'near_threshold'
            else 'random'
        end as sample_stratum
    from eligible
),

ranked as (
    select
        *,
        row_number() over (
            partition by sample_stratum order by sample_key, record_id_l, record_id_r
        ) as sample_rank,
        sum(case when sample_stratum = 'near_threshold' then 1 else 0 end) over () as near_threshold_count
    from stratified
),

sampled as (
    select * from ranked
    where sample_stratum = 'near_threshold' or sample_rank <= {{ size }} - near_threshold_count
),

final as (
    select
        record_id_l,
        record_id_r,
        sample_stratum,
        sample_rank,
        match_probability,
        match_weight
    from sampled
)

select * from final
