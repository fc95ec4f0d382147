from partnercredit.cli import main

main()
