using NetArchTest.Rules;

namespace PalliativeToolkit.Web.Tests;

public class ArchitectureTests
{
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
}
