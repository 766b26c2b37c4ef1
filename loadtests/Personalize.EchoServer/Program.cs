using Personalize.EchoServer;

await EchoApp.Build(args).RunAsync();
