from relog.cli import main

main()
