-- Data migration: before roles, every account could do everything, and each was made by someone running the
-- warehouse (the first admin from the environment, `npm run staff:add`): they stay able to, as admins. Accounts
-- made from now on are staff unless made admins.
UPDATE `staff_users` SET `role` = 'admin';
