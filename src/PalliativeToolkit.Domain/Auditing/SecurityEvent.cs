namespace PalliativeToolkit.Domain.Auditing;

/// <summary>
/// Account and security events of the audit trail. Stored by name (<see cref="AuditEntry.Action"/>, with
/// <see cref="AuditEntry.EntityType"/> = <see cref="AuditEntry.SecurityEventType"/>): add new names at the end, never rename.
/// </summary>
public enum SecurityEvent
{
    SignInSucceeded,
    SignInFailed,
    SignInNeedsSecondFactor,
    TwoFactorSignInSucceeded,
    TwoFactorSignInFailed,
    RecoveryCodeUsed,
    LockedOut,
    AccountCreated,
    AccountDeleted,
    AccountLocked,
    AccountUnlocked,
    RoleGranted,
    RoleRemoved,
    PasswordChanged,
    PasswordReset,
    PasswordSet,
    PasswordRemoved,
    TwoFactorEnabled,
    TwoFactorDisabled,
    AuthenticatorReset,
    RecoveryCodesGenerated,
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    EmailChanged,
    ExternalLoginAdded,
    ExternalLoginRemoved,
    SignedOut,
    AuditExported,
    SignedOutEverywhere,
    SignInBackoffStarted,
    ApiTokenCreated,
    ApiTokenRevoked,
}
