using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class PipelineComponentSpecTests
{
    [Fact]
    public void PipelineComponent_WithOneStep_DefaultsTheStepToACommand()
    {
        var result = Spec.Read("name: hello_batch\ntype: pipeline\njobs:\n  main_job:\n    component: azureml:hello@latest\n");

        var component = Spec.Valid<PipelineComponentSpec>(result);
        Assert.Equal(DocumentKind.Component, result.Kind);
        Assert.Equal(ComponentType.Pipeline, component.Type);
        var step = Assert.Single(component.Jobs).Value;
        Assert.Equal(ComponentType.Command, step.Type);
        Assert.Equal("azureml:hello@latest", step.Component.Reference?.Text);
        Assert.Empty(step.Inputs);
        Assert.Null(step.Compute);
    }

    [Fact]
    public void PipelineComponent_WithBindingsBetweenSteps_ReadsEveryStep()
    {
        var component = Spec.Valid<PipelineComponentSpec>(
            """
            name: batch_scoring_uci_heart
            type: pipeline
            inputs:
              input_data:
                type: uri_folder
              score_mode:
                type: string
                default: append
            outputs:
              scores:
                type: uri_folder
                mode: upload
            jobs:
              preprocess_job:
                type: command
                component: azureml:uci_heart_prepare@latest
                compute: cpu-cluster
                inputs:
                  data: ${{parent.inputs.input_data}}
                  transformations:
                    path: azureml:heart-classifier-transforms@latest
                    type: custom_model
                outputs:
                  prepared_data:
              score_job:
                component:
                  command: python score.py ${{inputs.data}}
                  inputs:
                    data:
                      type: uri_folder
                  environment: azureml:env@latest
                inputs:
                  data: ${{parent.jobs.preprocess_job.outputs.prepared_data}}
                  score_mode: ${{parent.inputs.score_mode}}
                outputs:
                  scores:
                    mode: upload
                    path: ${{parent.outputs.scores}}
            """);

        Assert.Equal(["preprocess_job", "score_job"], component.Jobs.Keys);
        var preprocess = component.Jobs["preprocess_job"];
        Assert.Equal("cpu-cluster", preprocess.Compute);
        Assert.Equal("${{parent.inputs.input_data}}", preprocess.Inputs["data"].Value);
        Assert.Equal(new AssetReference("heart-classifier-transforms", null, "latest"), preprocess.Inputs["transformations"].Path);
        Assert.Equal(IoType.CustomModel, preprocess.Inputs["transformations"].Type);
        Assert.Null(preprocess.Outputs["prepared_data"].Path);
        var score = component.Jobs["score_job"];
        var inline = Assert.IsType<CommandComponentSpec>(score.Component.Inline);
        Assert.Equal("batch_scoring_uci_heart-score_job", inline.Name);
        Assert.Equal(("upload", "${{parent.outputs.scores}}"), (score.Outputs["scores"].Mode, score.Outputs["scores"].Path));
        Assert.Equal("append", component.Inputs["score_mode"].Default);
    }

    [Fact]
    public void PipelineComponent_WithBrokenBindings_ExplainsEachOne()
    {
        var result = Spec.Read(
            """
            name: pipe
            type: pipeline
            inputs:
              input_data:
                type: uri_folder
            outputs:
              scores:
                type: uri_folder
            jobs:
              prep:
                component: azureml:prep@latest
                inputs:
                  data: ${{parent.inputs.input_datx}}
                outputs:
                  prepared:
              score:
                component: azureml:score@latest
                inputs:
                  d: ${{parent.jobs.prep.outputs.prepared}}
                  e: ${{parent.jobs.nope.outputs.x}}
                  f: ${{parent.jobs.score.outputs.x}}
                  g: ${{inputs.x}}
                outputs:
                  out:
                    path: ${{parent.outputs.scorez}}
            """);

        Spec.Errors(
            result,
            "spec.yml:13:13: jobs.prep.inputs.data: '${{parent.inputs.input_datx}}': the pipeline declares no input 'input_datx' (declared: input_data)",
            "spec.yml:20:10: jobs.score.inputs.e: '${{parent.jobs.nope.outputs.x}}': there is no step 'nope' (steps: prep, score)",
            "spec.yml:21:10: jobs.score.inputs.f: '${{parent.jobs.score.outputs.x}}': step 'score' cannot consume its own output",
            "spec.yml:22:10: jobs.score.inputs.g: '${{inputs.x}}': expected ${{parent.inputs.<name>}}, ${{parent.outputs.<name>}} or ${{parent.jobs.<step>.outputs.<name>}}",
            "spec.yml:25:15: jobs.score.outputs.out.path: '${{parent.outputs.scorez}}': the pipeline declares no output 'scorez' (declared: scores)");
    }

    [Fact]
    public void PipelineComponent_WithListOfJobsAndACommand_ReportsBoth()
    {
        var result = Spec.Read("name: pipe\ntype: pipeline\njobs: []\ncommand: echo hi\n");

        Spec.Errors(
            result,
            "spec.yml:3:7: jobs: expected a mapping of step names to steps, got a list",
            "spec.yml:4:1: command: belongs to command components (type: command)");
    }

    [Fact]
    public void PipelineStep_WithoutComponent_ReportsTheMissingComponent()
    {
        var result = Spec.Read("name: pipe\ntype: pipeline\njobs:\n  only:\n    compute: cpu\n");

        Spec.SingleError(result, "spec.yml:5:5: missing required key 'jobs.only.component'; the component the step runs: a reference, a path to its YAML file, or an inline definition");
    }

    [Fact]
    public void PipelineStep_ThatIsNotAMapping_ReportsTheType()
    {
        var result = Spec.Read("name: pipe\ntype: pipeline\njobs:\n  only: azureml:c:1\n");

        Spec.SingleError(result, "spec.yml:4:9: jobs.only: expected a step definition, got 'azureml:c:1'");
    }
}
