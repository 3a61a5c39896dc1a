using System.Reflection;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Web.Tests;

public partial class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;

    [Fact]
    public void The_domain_knows_nothing_of_storage_or_the_web()
    {
        var result = Types.InAssembly(typeof(Domain.Assessments.Assessment).Assembly)
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "PalliativeToolkit.Infrastructure", "PalliativeToolkit.Web")
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_the_web_project()
    {
        var result = Types.InAssembly(typeof(PalliativeToolkit.Infrastructure.Persistence.ToolkitDbContext).Assembly)
            .ShouldNot().HaveDependencyOn("PalliativeToolkit.Web")
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Features reach organization data only through an operation, whose context is bound to the acting user and filtered
    /// by the access rule: none makes a database context of its own (which would act for nobody, or be bound by hand).
    /// </summary>
    [Fact]
    public void Features_open_the_database_only_through_an_operation()
    {
        var result = Types.InAssembly(Web)
            .That().ResideInNamespace("PalliativeToolkit.Web.Features")
            .Or().ResideInNamespace("PalliativeToolkit.Web.Components")
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore.IDbContextFactory", "Microsoft.EntityFrameworkCore.DbContextOptions")
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Nothing in the web project sets the access filters aside, writes its own SQL (which no filter sees), or makes a
    /// context: the calls are looked for in every method body, lambdas and async methods included.
    /// </summary>
    [Fact]
    public void Nothing_in_the_web_project_sets_the_access_filters_aside_or_writes_its_own_sql()
    {
        string[] forbidden =
        [
            "IgnoreQueryFilters", "FromSql", "FromSqlRaw", "FromSqlInterpolated", "SqlQuery", "SqlQueryRaw",
            "ExecuteSql", "ExecuteSqlRaw", "ExecuteSqlInterpolated", "ExecuteSqlRawAsync", "ExecuteSqlAsync", "ExecuteSqlInterpolatedAsync",
            "CreateDbContext", "CreateDbContextAsync", "ActAs",
        ];
        using var module = ModuleDefinition.ReadModule(Web.Location);

        var offences = (from type in AllTypes(module.Types)
                        from method in type.Methods
                        where method.HasBody
                        from instruction in method.Body.Instructions
                        let called = instruction.Operand as MethodReference
                        where called is not null && (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt || instruction.OpCode == OpCodes.Newobj)
                        where forbidden.Contains(called.Name)
                              || (instruction.OpCode == OpCodes.Newobj && called.DeclaringType.Name == nameof(PalliativeToolkit.Infrastructure.Persistence.ToolkitDbContext))
                        select $"{type.FullName}.{method.Name} calls {called.DeclaringType.Name}.{called.Name}").Distinct().ToList();

        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    /// <summary>The test above finds what it looks for: the same scan over the infrastructure finds the access layer's own use.</summary>
    [Fact]
    public void The_scan_for_bypasses_finds_the_one_place_that_decides_access()
    {
        using var module = ModuleDefinition.ReadModule(typeof(PalliativeToolkit.Infrastructure.Persistence.ToolkitDbContext).Assembly.Location);

        var callers = (from type in AllTypes(module.Types)
                       from method in type.Methods
                       where method.HasBody
                       from instruction in method.Body.Instructions
                       where instruction.Operand is MethodReference { Name: "IgnoreQueryFilters" }
                       select type.FullName).Distinct().ToList();

        Assert.Contains(callers, c => c.StartsWith("PalliativeToolkit.Infrastructure.Access.ViewerResolver", StringComparison.Ordinal));
    }

    /// <summary>Pages name a permission by its policy; which roles hold it is written once, in the access layer.</summary>
    [Fact]
    public void Pages_and_components_name_permissions_by_policy_never_by_role()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "PalliativeToolkit.Web");
        var offences = Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line)))
            .Where(l => RoleLiteral().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    /// <summary>
    /// The assessment guards itself: outside the domain, nothing changes an element's answers except through
    /// <see cref="Domain.Assessments.Assessment.RecordElement"/>, and no entity has a public setter.
    /// </summary>
    [Fact]
    public void Aggregate_children_change_only_through_their_aggregate()
    {
        var domain = typeof(Entity).Assembly;
        var publicSetters = domain.GetTypes()
            .Where(t => typeof(Entity).IsAssignableFrom(t) || typeof(IOrganizationOwned).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true).Select(p => $"{t.Name}.{p.Name}"))
            .ToList();
        var publicMutators = new[]
        {
            typeof(Domain.Assessments.ElementResponse).GetMethod("Record", BindingFlags.Public | BindingFlags.Instance),
            typeof(Domain.Assessments.CriterionResponse).GetMethod("Set", BindingFlags.Public | BindingFlags.Instance),
            typeof(Domain.Organizations.Membership).GetMethod("ChangeRole", BindingFlags.Public | BindingFlags.Instance),
            typeof(Entity).GetMethod("Touch", BindingFlags.Public | BindingFlags.Instance),
        };

        Assert.Empty(publicSetters);
        Assert.All(publicMutators, Assert.Null);
    }

    [GeneratedRegex("""\bRoles\s*=\s*("|@|GlobalRoles)|IsInRole\s*\(|"(Administrator|StatewideReviewer)"|GlobalRoles\.(Administrator|StatewideReviewer)""")]
    private static partial Regex RoleLiteral();

    private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types) =>
        types.SelectMany(t => AllTypes(t.NestedTypes).Prepend(t));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PalliativeToolkit.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (PalliativeToolkit.sln) was not found above the test's folder.");
    }
}
