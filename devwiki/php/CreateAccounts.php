<?php
/**
 * Creates the farm's accounts in one PHP process (one createAndPromote.php run per account
 * costs a second each; the bench profile has hundreds). Input: a JSON file, a list of
 * {"name", "registration" (YYYYMMDDHHMMSS), "password" (optional), "groups" (optional)}.
 * Registration dates are written to the user table so that new-editor outcomes are testable.
 */

require_once getenv( 'MW_INSTALL_PATH' ) . '/maintenance/Maintenance.php';

class CreateAccounts extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Create accounts with given registration dates (devwiki)' );
		$this->addArg( 'file', 'JSON file listing the accounts' );
	}

	public function execute() {
		$accounts = json_decode( file_get_contents( $this->getArg( 0 ) ), true );
		if ( !is_array( $accounts ) ) {
			$this->fatalError( 'could not read the accounts file' );
		}
		$groupManager = MediaWiki\MediaWikiServices::getInstance()->getUserGroupManager();
		$dbw = $this->getDB( DB_PRIMARY );
		foreach ( $accounts as $account ) {
			$user = User::newFromName( $account['name'] );
			if ( !$user ) {
				$this->fatalError( "invalid user name: {$account['name']}" );
			}
			if ( $user->getId() === 0 ) {
				$user = User::createNew( $account['name'] );
				if ( !$user ) {
					$this->fatalError( "could not create {$account['name']}" );
				}
			}
			if ( !empty( $account['password'] ) ) {
				$status = $user->changeAuthenticationData( [
					'username' => $user->getName(),
					'password' => $account['password'],
					'retype' => $account['password'],
				] );
				if ( !$status->isGood() ) {
					$this->fatalError( "password for {$account['name']}: " . $status->getWikiText() );
				}
			}
			foreach ( $account['groups'] ?? [] as $group ) {
				$groupManager->addUserToGroup( $user, $group );
			}
			$dbw->update(
				'user',
				[ 'user_registration' => $dbw->timestamp( $account['registration'] ) ],
				[ 'user_id' => $user->getId() ],
				__METHOD__
			);
		}
		$this->output( count( $accounts ) . " accounts\n" );
	}
}

$maintClass = CreateAccounts::class;
require_once RUN_MAINTENANCE_IF_MAIN;
