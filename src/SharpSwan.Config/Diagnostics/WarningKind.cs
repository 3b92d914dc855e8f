namespace SharpSwan.Config;

/// <summary>What a <see cref="ConfigWarning"/> is about, so the import report and <c>check --strict</c> can sort them.</summary>
public enum WarningKind
{
    /// <summary>A FortiOS table outside SharpSwan's scope, kept verbatim but not acted on.</summary>
    KeptTable,

    /// <summary>Settings of other FortiOS features inside a table SharpSwan reads (e.g. <c>system global</c>), kept but not acted on.</summary>
    KeptSettings,

    /// <summary>An older or newer FortiOS spelling, read as the current one.</summary>
    ConvertedSetting,

    /// <summary>A secret in SharpSwan's old base64 form, read and written back encrypted.</summary>
    LegacySecret,

    /// <summary>A legacy algorithm (DES, 3DES, NULL encryption, MD5, DH group 1, 2 or 5), negotiated for old peers but weak.</summary>
    WeakAlgorithm,

    /// <summary>A setting FortiOS requires was left out and is read as the value the warning names.</summary>
    AssumedSetting,
}
