// account: the dialog's code is in ../account/ (credentials, scopes, redirect address, authorization, health);
// these are its registerType hooks.
export { prepare as oneditprepare, save as oneditsave, close as oneditcancel, close as oneditdelete } from '../account/dialog';
