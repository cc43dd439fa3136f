from carepath.cli import main

main()
