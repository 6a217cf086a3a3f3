-- What has been loaded, when, by whom, and how did each load go?
-- One row per load, the latest first.
-- Params: none
with final as (
    select load_id, loaded_at, loaded_by, origin, format, path, rows_read, rows_loaded, rows_set_aside,
        rows_skipped, seconds, files, notes
    from loads
)

select * from final order by load_id desc
