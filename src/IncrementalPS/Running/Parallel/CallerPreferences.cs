using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// The caller's error and warning preferences, for the runspaces: a block that calls Write-Error under
/// $ErrorActionPreference = 'Stop' must fail its item there, as it does in the caller's scope, and not send a record
/// that stops the pipeline thread while the item still runs (it would then never be recorded).
/// </summary>
internal static class CallerPreferences
{
    /// <summary>
    /// The preference variables to set in each runspace: the command's own -ErrorAction/-WarningAction, else the
    /// caller's variable. Inquire and Suspend are left out: a runspace has no host to ask.
    /// </summary>
    public static Dictionary<string, ActionPreference> Read(PSCmdlet cmdlet)
    {
        var preferences = new Dictionary<string, ActionPreference>();
        Add(cmdlet, preferences, "ErrorAction", "ErrorActionPreference");
        Add(cmdlet, preferences, "WarningAction", "WarningPreference");
        return preferences;
    }

    private static void Add(PSCmdlet cmdlet, Dictionary<string, ActionPreference> preferences, string parameter, string variable)
    {
        var value = cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var bound)
            ? bound
            : cmdlet.SessionState.PSVariable.GetValue(variable);
        if (LanguagePrimitives.TryConvertTo<ActionPreference>(value, out var preference)
            && preference is ActionPreference.Stop or ActionPreference.Continue or ActionPreference.SilentlyContinue or ActionPreference.Ignore)
        {
            preferences[variable] = preference;
        }
    }
}
