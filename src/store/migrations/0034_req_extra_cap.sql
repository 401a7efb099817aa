-- 0034: how much more an opting-in recipient can use (issue 11): nobody
-- receives more than it stated in redistribution. -1 = as much as
-- possible (versions saved before the field).
ALTER TABLE req_version ADD COLUMN extra_cap_ore INTEGER NOT NULL DEFAULT -1;
