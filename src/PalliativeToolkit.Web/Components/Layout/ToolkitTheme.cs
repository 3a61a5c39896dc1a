using MudBlazor;

namespace PalliativeToolkit.Web.Components.Layout;

/// <summary>The portal's one theme. Colours are chosen for WCAG AA contrast against white text or background.</summary>
public static class ToolkitTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1F5F7A",
            Secondary = "#7A3E65",
            Tertiary = "#2E6B3F",
            Success = "#2E6B3F",
            Warning = "#8A5300",
            Error = "#B3261E",
            Info = "#1F5F7A",
            AppbarBackground = "#1F5F7A",
            DrawerBackground = "#F6F8F9",
            Background = "#FFFFFF",
            TextSecondary = "rgba(0,0,0,0.7)",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
