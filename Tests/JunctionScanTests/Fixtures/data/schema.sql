CREATE TABLE connected_accounts (
  id TEXT PRIMARY KEY,
  account_type TEXT NOT NULL CHECK (account_type IN ('standard', 'express', 'custom'))
);
CREATE TABLE shipments (speed TEXT CHECK (speed IN ('standard', 'express')));
