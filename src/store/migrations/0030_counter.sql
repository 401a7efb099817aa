-- 0030: the counters of case and decision numbers become the store's
-- generic named sequences (store_counter_next): the next value per name
-- ("REK", "BES", ...) and year. Portable: one script for every dialect.
ALTER TABLE req_counter RENAME TO counter;
ALTER TABLE counter RENAME COLUMN kind TO name;
